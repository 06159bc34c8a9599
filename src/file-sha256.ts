import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

/** A file's sha256 (hex), read as a stream: artifacts and tarballs can be large. */
export function fileSha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(file)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}
