import type { ActionStatus, PlanActionKind } from "../contracts/index.js";
import type { LockHolder } from "./state/state-store.js";

/**
 * What the IaC engine reports while it works. The engine never prints: the CLI's
 * human and JSON views, and tests, consume these events (Terraform's hooks → views).
 */
export type IacEvent =
  | {
      readonly kind: "action:start";
      readonly index: number;
      readonly action: PlanActionKind;
      readonly resource: string;
      readonly type: string;
    }
  | {
      readonly kind: "action:done";
      readonly index: number;
      readonly action: PlanActionKind;
      readonly resource: string;
      readonly type: string;
      readonly status: ActionStatus;
      readonly error?: string;
      readonly elapsedMs: number;
    }
  | {
      readonly kind: "diagnostic";
      readonly severity: "error" | "warning" | "info";
      readonly message: string;
      readonly resource?: string;
    }
  | {
      readonly kind: "lock:takeover";
      readonly previous: LockHolder;
      readonly reason: "expired" | "holder_dead";
    }
  | {
      /** A ghost (gone from the cloud) was removed from state: the audit trail of a prune. */
      readonly kind: "state:pruned";
      readonly resource: string;
      readonly type: string;
      readonly protected: boolean;
    }
  | {
      readonly kind: "intent:reconciled";
      readonly resource: string;
      readonly outcome: "adopted" | "absent";
    };

export type IacEventSink = (event: IacEvent) => void;

/** A sink that drops everything, for callers that do not listen. */
export const ignoreEvents: IacEventSink = () => {};
