import { BaseEdge, getSmoothStepPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { OutcomeFlowEdge } from '../model/flowElements';

const labelBg = { fill: '#f5f7fa' };
const labelStyle = { fontSize: 10.5, fill: '#5b6475' };

/**
 * A connection drawn as a smooth step, its outcome written just below the port it leaves from: several outcomes often
 * lead into one step, and labels in the middle of the edges would then sit on top of each other.
 */
export const OutcomeEdge = memo(function OutcomeEdge(props: EdgeProps<OutcomeFlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, label, markerEnd, style, interactionWidth } = props;
  const [path] = getSmoothStepPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  return (
    <BaseEdge
      id={id} path={path} markerEnd={markerEnd} style={style} interactionWidth={interactionWidth}
      label={label} labelX={sourceX} labelY={sourceY + 16} labelStyle={labelStyle} labelShowBg labelBgStyle={labelBg} labelBgPadding={[3, 1]} labelBgBorderRadius={3}
    />
  );
});

/** Stable, module-level, like nodeTypes. */
export const edgeTypes = { outcome: OutcomeEdge };
