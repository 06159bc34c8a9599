import { WfError } from "../../diagnostics/index.js";
import type { LockHolder } from "./state-store.js";

/** Another live holder has the state lock: the CLI exits 3 and names them. */
export class StateLockedError extends WfError {
  readonly holder: LockHolder;
  /** Where the locked state lives (a directory, a file, a redacted DSN). */
  readonly location: string;

  constructor(holder: LockHolder, location: string) {
    super(
      "WF_ERR_STATE_LOCKED",
      `state at ${location} is locked by ${holder.user}@${holder.host} (pid ${holder.pid}, \`${holder.command}\`) since ${holder.acquired_at}; lock expires ${holder.expires_at}`,
    );
    this.holder = holder;
    this.location = location;
  }
}
