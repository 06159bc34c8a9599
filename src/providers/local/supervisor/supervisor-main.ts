/**
 * Entry point of the detached supervisor process: `node <bundle> <resourceDir>`.
 * SIGHUP reloads spec.json, SIGTERM/SIGINT stop gracefully (a second one kills).
 */
import { Supervisor } from "./supervisor.js";

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write("usage: local-supervisor <resource-dir>\n");
    process.exit(2);
  }
  const supervisor = new Supervisor(dir);
  // A replica's misbehaviour (or a bug here) must not take every replica's keeper down.
  process.on("uncaughtException", (error) => supervisor.log(`uncaught: ${error.stack ?? error}`));
  process.on("unhandledRejection", (error) =>
    supervisor.log(`unhandled rejection: ${String(error)}`),
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    supervisor.log(`received ${signal}`);
    if (stopping) {
      supervisor.kill();
      process.exit(1);
    }
    stopping = true;
    void supervisor.stop().then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.on("SIGHUP", () => {
    supervisor.log("received SIGHUP");
    void supervisor.reload();
  });
  try {
    await supervisor.start();
  } catch (error) {
    const message = `cannot start supervisor for ${dir}: ${(error as Error).message}`;
    supervisor.log(message);
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
}

void main();
