import type { EventRecorder } from "../../contracts/index.js";

/** Records one execution's events, in order, as they happen; never throws. */
export type ExecutionEvents = (type: string, data: Record<string, unknown>) => void;

/**
 * An EventRecorder that also takes an execution's events through one handle: no
 * promise and no lookup of the execution per event (the execution store, where
 * each execution records a dozen events or more).
 */
export interface ExecutionEventsRecorder extends EventRecorder {
  eventsOf(executionID: string): ExecutionEvents;
}

export function hasEventsOf(recorder: EventRecorder): recorder is ExecutionEventsRecorder {
  return typeof (recorder as Partial<ExecutionEventsRecorder>).eventsOf === "function";
}
