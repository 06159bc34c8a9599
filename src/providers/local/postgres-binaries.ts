import { access, constants, readdir, readFile } from "node:fs/promises";
import path from "node:path";

/** Where a PostgreSQL server's programs are, and whom to run them as. */
export interface PostgresBinaries {
  readonly bin: string;
  /** Set when wfctl runs as root: PostgreSQL refuses root, so it runs as this user. */
  readonly runAs?: { readonly uid: number; readonly gid: number; readonly user: string };
}

const DEBIAN_ROOT = "/usr/lib/postgresql";

async function executable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/** The folder holding `initdb` and `postgres`: PATH first, then Debian's newest version. */
async function findBinDir(): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    if (
      (await executable(path.join(dir, "initdb"))) &&
      (await executable(path.join(dir, "postgres")))
    ) {
      return dir;
    }
  }
  const versions = await readdir(DEBIAN_ROOT).catch(() => [] as string[]);
  const sorted = versions.filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  for (const version of sorted) {
    const dir = path.join(DEBIAN_ROOT, version, "bin");
    if (await executable(path.join(dir, "initdb"))) return dir;
  }
  return undefined;
}

/** The uid and gid of `user` from /etc/passwd. */
async function systemUser(user: string): Promise<{ uid: number; gid: number } | undefined> {
  const passwd = await readFile("/etc/passwd", "utf8").catch(() => "");
  for (const line of passwd.split("\n")) {
    const [name, , uid, gid] = line.split(":");
    if (name === user && uid !== undefined && gid !== undefined) {
      return { uid: Number(uid), gid: Number(gid) };
    }
  }
  return undefined;
}

export async function postgresBinaries(): Promise<PostgresBinaries> {
  const bin = await findBinDir();
  if (!bin) {
    throw new Error(
      `engine postgres: initdb and postgres were not found on PATH or in ${DEBIAN_ROOT}/*/bin; install PostgreSQL (e.g. apt-get install postgresql) or use engine: sqlite`,
    );
  }
  if (process.getuid?.() !== 0) return { bin };
  const user = await systemUser("postgres");
  if (!user) {
    throw new Error(
      "engine postgres: PostgreSQL refuses to run as root and there is no `postgres` system user to run it as; create one (useradd -r postgres) or run wfctl as another user",
    );
  }
  return { bin, runAs: { ...user, user: "postgres" } };
}
