export { UpdateMachine } from './update-machine.js';
export type { RunResult, UpdateMachineOptions } from './update-machine.js';
export type { StopReason } from './step-context.js';
export type { DeviceState, DeviceStateKind } from './device-state.js';
export { deviceStateKinds } from './device-state.js';
export { sameUpdate } from './update-descriptor.js';
export type { UpdateDescriptor } from './update-descriptor.js';
export type {
  CancelledEvent,
  CommittedEvent,
  DeferReason,
  InstallFailedEvent,
  OutcomeEvent,
  ProgressEvent,
  RejectedEvent,
  RollbackReason,
  RolledBackEvent,
  UpdateEvent,
} from './update-event.js';
export { defaultUpdateConfig } from './update-host.js';
export type { UpdateConfig, UpdateHost } from './update-host.js';
export { isWithinWindow } from './install-window.js';
export { runHealthCheck } from './health-check.js';
export type { HealthResult } from './health-check.js';
export { UpdateStateStore } from './state-store.js';
