import { useReactFlow } from '@xyflow/react';
import { useT } from '../../i18n/I18nProvider';
import { activityOfProblem } from '../model/problems';
import { useDesigner, useDesignerStore } from '../state/DesignerContext';

/** Every validation problem; those on a step jump to it. */
export function ProblemsPanel({ onShowSettings }: { onShowSettings: () => void }) {
  const t = useT();
  const store = useDesignerStore();
  const problems = useDesigner((s) => s.problems);
  const { fitView } = useReactFlow();

  if (problems.all.length === 0) return <p className="ok-message" data-testid="no-problems">{t('designer.noProblems')}</p>;
  const show = (activityId: string | undefined) => {
    if (!activityId) { onShowSettings(); return; }
    store.selectActivity(activityId);
    void fitView({ nodes: [{ id: activityId }], duration: 300, maxZoom: 1.2 });
  };
  return (
    <ul className="problem-list" data-testid="problem-list">
      {problems.all.map((problem, index) => {
        const activityId = activityOfProblem(problem, problems);
        return (
          <li key={index}>
            <button type="button" className="problem-item" onClick={() => show(activityId)}>
              <span className="problem-where">{activityId ?? t('designer.playbookLevel')}</span>
              <span>{problem.message}</span>
              <code className="muted small">{problem.path}</code>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
