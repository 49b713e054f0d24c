import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { useI18n } from '../../i18n/I18nProvider';
import type { ActivityFlowNode } from '../model/flowElements';
import { nodeWidth } from '../model/layout';
import { countActivityNodeRender } from './renderProbe';

/**
 * One activity on the canvas: its type, name and id, a problem badge, an input handle on top and one labelled output
 * handle per outcome below. Memoized: React Flow hands it a new `data` only when this activity changed.
 */
export const ActivityNodeView = memo(function ActivityNodeView({ data, selected }: NodeProps<ActivityFlowNode>) {
  countActivityNodeRender();
  const { tOr, t } = useI18n();
  const { activity, descriptor, outcomes, problems, trace } = data;
  const category = descriptor?.category ?? 'Unknown';
  const classes = ['activity-node', `category-${category.toLowerCase()}`];
  if (selected) classes.push('selected');
  if (problems) classes.push('has-problems');
  if (trace) classes.push(`trace-${trace}`);
  if (!descriptor) classes.push('unknown-type');
  const typeLabel = tOr(`activity.${activity.type}`, descriptor?.displayName ?? activity.type);

  return (
    <div className={classes.join(' ')} style={{ width: nodeWidth(outcomes.length) }} data-activity-id={activity.id} data-testid={`node-${activity.id}`}>
      {activity.type !== 'Start' && <Handle type="target" position={Position.Top} id="in" className="handle-in" />}
      <div className="activity-node-type">
        <span className="category-dot" aria-hidden="true" />
        {typeLabel}
        {problems && (
          <span className="problem-badge" title={problems.map((p) => p.message).join('\n')} aria-label={t('designer.problemCount', { count: problems.length })}>
            ⚠ {problems.length}
          </span>
        )}
      </div>
      <div className="activity-node-name">{activity.displayName || activity.id}</div>
      {activity.displayName && <div className="activity-node-id">{activity.id}</div>}
      {outcomes.length > 0 && (
        <div className="activity-node-ports">
          {outcomes.map((port) => (
            <div key={port.name} className={port.known ? 'port' : 'port port-unknown'} data-outcome={port.name}>
              <span className="port-label">{tOr(`outcome.${port.name}`, port.name)}</span>
              <Handle type="source" position={Position.Bottom} id={port.name} className="handle-out" />
            </div>
          ))}
        </div>
      )}
    </div>
  );
});

/** Stable, module-level: a new object here would make React Flow re-create every node. */
export const nodeTypes = { activity: ActivityNodeView };
