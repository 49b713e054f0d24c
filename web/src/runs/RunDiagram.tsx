import { Background, Controls, ReactFlow, ReactFlowProvider, type NodeChange } from '@xyflow/react';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { ActivityDescriptor, PlaybookDefinition } from '../api/engineTypes';
import { useI18n } from '../i18n/I18nProvider';
import { nodeTypes } from '../designer/canvas/ActivityNodeView';
import { edgeTypes } from '../designer/canvas/OutcomeEdge';
import { FlowElementCache, type ActivityFlowNode, type NodeSize } from '../designer/model/flowElements';
import type { RunTraceView } from '../designer/model/runTrace';

const none: ReadonlySet<string> = new Set();
const noProblems = new Map();
const proOptions = { hideAttribution: true };

/** The version a run started on, read-only, with the path it took and where it waits drawn over it. */
interface RunDiagramProps {
  definition: PlaybookDefinition;
  descriptors: ReadonlyMap<string, ActivityDescriptor>;
  trace: RunTraceView;
  /** A click on a step, e.g. to show its journal entries. */
  onSelectActivity?: (activityId: string) => void;
}

export function RunDiagram(props: RunDiagramProps) {
  return <ReactFlowProvider><Diagram {...props} /></ReactFlowProvider>;
}

function Diagram({ definition, descriptors, trace, onSelectActivity }: RunDiagramProps) {
  const { tOr } = useI18n();
  const cache = useRef(new FlowElementCache()).current;
  const [measured, setMeasured] = useState<ReadonlyMap<string, NodeSize>>(new Map());
  const outcomeLabel = useCallback((o: string) => tOr(`outcome.${o}`, o), [tOr]);
  const inputs = { definition, descriptors, problems: noProblems, selectedNodes: none, selectedEdges: none, measured, trace: trace.nodes, takenEdges: trace.edges, outcomeLabel };
  // Each list depends only on what its elements show; the cache keeps unchanged elements identical either way.
  const nodes = useMemo(() => cache.nodes(inputs), [definition, descriptors, measured, trace]);
  const edges = useMemo(() => cache.edges(inputs), [definition, trace, outcomeLabel]);

  const onNodesChange = useCallback((changes: NodeChange<ActivityFlowNode>[]) => {
    const sizes = changes.flatMap((c) => (c.type === 'dimensions' && c.dimensions ? [[c.id, c.dimensions] as const] : []));
    if (sizes.length) setMeasured((previous) => new Map([...previous, ...sizes]));
  }, []);

  return (
    <div className="run-diagram" data-testid="run-diagram">
      <ReactFlow
        nodes={nodes} edges={edges} nodeTypes={nodeTypes}
        edgeTypes={edgeTypes} onNodesChange={onNodesChange}
        onNodeClick={onSelectActivity ? (_, node) => onSelectActivity(node.id) : undefined}
        nodesDraggable={false} nodesConnectable={false} elementsSelectable={false} deleteKeyCode={null}
        fitView fitViewOptions={{ padding: 0.15, maxZoom: 1 }} minZoom={0.1} proOptions={proOptions}
      >
        <Background gap={24} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
