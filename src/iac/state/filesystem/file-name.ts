import { createHash } from "node:crypto";

/** Characters kept as they are; everything else is percent-encoded byte by byte. */
const KEPT = /^[a-z0-9_.-]$/;
/** Well under the 255-byte name limit of common filesystems, leaving room for suffixes. */
const MAX_LENGTH = 160;

/**
 * A safe file name for an arbitrary key (resource name, plan id): no separators, no
 * `.`/`..`, no hidden files, and distinct keys never collide, even on a
 * case-insensitive filesystem (upper-case letters are encoded, hex digits are
 * upper-case only after `%`). Over-long keys end in a hash of the whole key.
 */
export function fileName(key: string, extension: string): string {
  let encoded = "";
  for (const byte of Buffer.from(key, "utf8")) {
    const char = String.fromCharCode(byte);
    encoded +=
      KEPT.test(char) && !(encoded === "" && char === ".")
        ? char
        : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  if (encoded === "") encoded = "%";
  if (encoded.length > MAX_LENGTH) {
    // `~` is always encoded above, so a hashed name cannot equal a plain one.
    const digest = createHash("sha256").update(key, "utf8").digest("hex").slice(0, 32);
    encoded = `${encoded.slice(0, MAX_LENGTH - 33)}~${digest}`;
  }
  return `${encoded}${extension}`;
}
