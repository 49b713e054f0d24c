/** The engine's JSON shapes, as services/Engine serves them (camelCase). */

export type UiHint =
  | 'text' | 'template' | 'number' | 'checkbox' | 'duration' | 'date-expression' | 'javascript' | 'dropdown' | 'string-list' | 'json';

export interface InputDescriptor {
  name: string;
  displayName: string;
  kind: string;
  description: string;
  required: boolean;
  expressionCapable: boolean;
  uiHint: UiHint;
  options: string[] | null;
  default: unknown;
}

export interface ActivityDescriptor {
  type: string;
  category: string;
  displayName: string;
  description: string;
  outcomes: string[];
  dynamicOutcomes: string | null;
  canWait: boolean;
  inputs: InputDescriptor[];
}

/** A literal, or `{ js: "…" }` for a JavaScript expression. */
export type InputValue = unknown;

export interface CanvasPosition {
  x: number;
  y: number;
}

export interface ActivityNode {
  id: string;
  type: string;
  displayName?: string | null;
  inputs: Record<string, InputValue>;
  position?: CanvasPosition | null;
}

export interface Connection {
  from: string;
  outcome: string;
  to: string;
}

export type TriggerKind = 'event' | 'schedule' | 'date' | 'threshold' | 'manual';

export interface TriggerDefinition {
  kind: TriggerKind | string;
  eventType?: string | null;
  condition?: string | null;
  cron?: string | null;
  field?: string | null;
  offsetDays?: number | null;
  direction?: string | null;
  value?: number | null;
}

export interface ExitCondition {
  eventType: string;
  condition?: string | null;
}

export interface EnrolmentRules {
  maxActivePerAccount: number;
  maxRunsPerPeriod?: number | null;
  periodDays?: number | null;
  snoozeDaysAfterRun?: number | null;
  exitOn: ExitCondition[];
}

export interface GoalDefinition {
  eventType: string;
  withinDays: number;
  condition?: string | null;
}

export type VariableType = 'string' | 'number' | 'boolean' | 'date' | 'list' | 'object';

export interface VariableDefinition {
  name: string;
  type: VariableType | string;
  default?: unknown;
  description?: string | null;
}

export interface PlaybookDefinition {
  definitionId: string;
  version?: number | null;
  name: string;
  description?: string | null;
  tags: string[];
  triggers: TriggerDefinition[];
  enrolment?: EnrolmentRules | null;
  goal?: GoalDefinition | null;
  variables: VariableDefinition[];
  activities: ActivityNode[];
  connections: Connection[];
}

export interface DefinitionProblem {
  path: string;
  message: string;
}

export interface DefinitionView {
  definition: PlaybookDefinition;
  problems: DefinitionProblem[];
}

export type PlaybookStatus = 'draft' | 'published' | 'archived';

export interface DefinitionSummary {
  definitionId: string;
  name: string;
  status: PlaybookStatus;
  publishedVersion: number | null;
  latestVersion: number;
  runningInstances: number;
  lastChange: string;
}

export interface DefinitionVersionInfo {
  version: number;
  note: string | null;
  publishedAt: string;
  isPublished: boolean;
}

export interface DefinitionChange {
  kind: 'added' | 'removed' | 'changed';
  path: string;
  before: string | null;
  after: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  skip: number;
  take: number;
}

export type InstanceStatus = 'running' | 'completed' | 'exited' | 'faulted' | 'cancelled';

export interface InstanceSummary {
  id: string;
  definitionId: string;
  version: number;
  accountId: string;
  status: InstanceStatus;
  createdAt: number | string;
  updatedAt: number | string;
  endedAt: number | string | null;
}

export interface WaitView {
  activityId: string;
  kind: string;
  key: string;
  dueAt: string | null;
}

export interface JournalView {
  seq: number;
  activityId: string;
  activityType: string;
  status: string;
  outcome: string | null;
  inputs: unknown;
  output: unknown;
  error: string | null;
  startedAt: string;
  endedAt: string;
}

export interface InstanceFault {
  activityId?: string;
  message?: string;
}

export interface InstanceView {
  id: string;
  definitionId: string;
  version: number;
  accountId: string;
  status: InstanceStatus;
  createdAt: string;
  updatedAt: string;
  endedAt: string | null;
  endReason: string | null;
  fault: InstanceFault | null;
  variables: Record<string, unknown>;
  waits: WaitView[];
  journal: JournalView[];
}

export interface AccountContact {
  name: string;
  email: string;
  role: string;
}

export interface Account {
  id: string;
  name: string;
  ownerCsm: string | null;
  csmManager: string | null;
  team: string | null;
  segment: string | null;
  arr: number | null;
  renewalDate: string | null;
  healthScore: number | null;
  lifecycleStage: string | null;
  timeZone: string | null;
  contacts: AccountContact[];
  custom?: Record<string, unknown> | null;
}

export interface ScriptedEvent {
  type: string;
  after: string;
  data?: unknown;
}

export interface ScriptedTaskOutcome {
  task: string;
  outcome: string;
  after: string;
  visit: number;
}

export interface SimulationRequest {
  accountId: string;
  days: number;
  startAt?: string;
  definition?: PlaybookDefinition;
  trigger?: ScriptedEvent;
  events: ScriptedEvent[];
  taskOutcomes: ScriptedTaskOutcome[];
}

export interface TimelineEntry {
  at: string;
  day: number;
  kind: string;
  activityId: string | null;
  outcome: string | null;
  summary: string;
  details?: unknown;
}

export interface SimulationResult {
  status: string;
  startedAt: string;
  endedAt: string;
  timeline: TimelineEntry[];
  path: string[];
  variables: Record<string, unknown>;
  fault: string | null;
}

export interface AccountEvent {
  id: string;
  type: string;
  accountId: string;
  occurredAt: string;
  data: unknown;
}
