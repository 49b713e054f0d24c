import {
  Background, Controls, MiniMap, ReactFlow, useReactFlow,
  type Connection as FlowConnection, type EdgeChange, type NodeChange,
} from '@xyflow/react';
import { useCallback, useMemo, useRef, type DragEvent } from 'react';
import type { CanvasPosition } from '../../api/engineTypes';
import { useI18n } from '../../i18n/I18nProvider';
import { addActivity, connect, removeActivities, removeConnections } from '../model/definitionEdits';
import { FlowElementCache, type ActivityFlowNode, type NodeSize, type OutcomeFlowEdge } from '../model/flowElements';
import { useDesigner, useDesignerStore } from '../state/DesignerContext';
import { nodeTypes } from './ActivityNodeView';
import { edgeTypes } from './OutcomeEdge';
import { paletteDragType } from '../palette/paletteDrag';

const deleteKeys = ['Backspace', 'Delete'];
const fitViewOptions = { padding: 0.15, maxZoom: 1.2 };
const proOptions = { hideAttribution: true };

/**
 * The editable canvas. The store's definition is the one source of truth; React Flow's change events are turned into
 * definition edits, and the nodes it gets back are cached objects, so only what changed is re-rendered.
 */
export function DesignerCanvas({ readOnly = false }: { readOnly?: boolean }) {
  const store = useDesignerStore();
  const { tOr } = useI18n();
  const { screenToFlowPosition } = useReactFlow();
  const definition = useDesigner((s) => s.definition);
  const descriptors = useDesigner((s) => s.descriptors);
  const problems = useDesigner((s) => s.problems.byActivity);
  const selectedNodes = useDesigner((s) => s.selectedNodes);
  const selectedEdges = useDesigner((s) => s.selectedEdges);
  const measured = useDesigner((s) => s.measured);
  const trace = useDesigner((s) => s.trace);
  const cache = useRef(new FlowElementCache()).current;
  const outcomeLabel = useCallback((outcome: string) => tOr(`outcome.${outcome}`, outcome), [tOr]);

  const inputs = { definition, descriptors, problems, selectedNodes, selectedEdges, measured, trace: trace?.nodes, takenEdges: trace?.edges, outcomeLabel };
  // Each list depends only on what its elements show; the cache keeps unchanged elements identical either way.
  const nodes = useMemo(() => cache.nodes(inputs), [definition, descriptors, problems, selectedNodes, measured, trace]);
  const edges = useMemo(() => cache.edges(inputs), [definition, selectedEdges, trace, outcomeLabel]);

  const onNodesChange = useCallback((changes: NodeChange<ActivityFlowNode>[]) => {
    const dragging = new Map<string, CanvasPosition>();
    const dropped = new Map<string, CanvasPosition>();
    const sizes = new Map<string, NodeSize>();
    const removed = new Set<string>();
    let selection: Set<string> | null = null;
    for (const change of changes) {
      if (change.type === 'position' && change.position) (change.dragging ? dragging : dropped).set(change.id, change.position);
      else if (change.type === 'dimensions' && change.dimensions) sizes.set(change.id, change.dimensions);
      else if (change.type === 'remove') removed.add(change.id);
      else if (change.type === 'select') {
        selection ??= new Set(store.getState().selectedNodes);
        if (change.selected) selection.add(change.id);
        else selection.delete(change.id);
      }
    }
    if (sizes.size) store.setMeasured(sizes);
    if (dragging.size) store.move(dragging, 'dragging');
    if (dropped.size) store.move(dropped, 'end');
    if (selection) store.select(selection, store.getState().selectedEdges);
    if (removed.size) store.edit((d) => removeActivities(d, removed));
  }, [store]);

  const onEdgesChange = useCallback((changes: EdgeChange<OutcomeFlowEdge>[]) => {
    const removed = new Set<string>();
    let selection: Set<string> | null = null;
    for (const change of changes) {
      if (change.type === 'remove') removed.add(change.id);
      else if (change.type === 'select') {
        selection ??= new Set(store.getState().selectedEdges);
        if (change.selected) selection.add(change.id);
        else selection.delete(change.id);
      }
    }
    if (selection) store.select(store.getState().selectedNodes, selection);
    if (removed.size) store.edit((d) => removeConnections(d, removed));
  }, [store]);

  const onConnect = useCallback((c: FlowConnection) => {
    if (!c.sourceHandle) return;
    store.edit((d) => connect(d, { from: c.source, outcome: c.sourceHandle!, to: c.target }));
  }, [store]);

  const isValidConnection = useCallback((c: FlowConnection | OutcomeFlowEdge) => {
    if (c.source === c.target) return false;
    const target = store.getState().definition.activities.find((a) => a.id === c.target);
    return target?.type !== 'Start';
  }, [store]);

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(paletteDragType)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback((event: DragEvent) => {
    const type = event.dataTransfer.getData(paletteDragType);
    const descriptor = store.getState().descriptors.get(type);
    if (!descriptor) return;
    event.preventDefault();
    const position = screenToFlowPosition({ x: event.clientX, y: event.clientY });
    let addedId = '';
    store.edit((d) => {
      const added = addActivity(d, descriptor, { x: position.x - 100, y: position.y - 30 });
      addedId = added.id;
      return added.definition;
    });
    store.selectActivity(addedId);
  }, [store, screenToFlowPosition]);

  return (
    <div className="designer-canvas" onDragOver={onDragOver} onDrop={onDrop} data-testid="designer-canvas">
      <ReactFlow<ActivityFlowNode, OutcomeFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={readOnly ? undefined : onConnect}
        isValidConnection={isValidConnection}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={readOnly ? null : deleteKeys}
        fitView
        fitViewOptions={fitViewOptions}
        minZoom={0.1}
        maxZoom={2}
        proOptions={proOptions}
      >
        <Background gap={24} />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable nodeStrokeWidth={3} />
      </ReactFlow>
    </div>
  );
}
