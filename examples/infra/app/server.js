// A minimal service for the infra example: answers on $PORT, reports health.
import { createServer } from "node:http";

const port = Number(process.env.PORT ?? 3000);
createServer((req, res) => {
  res.setHeader("content-type", "application/json");
  if (req.url === "/healthz") {
    res.end(JSON.stringify({ status: "ok" }));
    return;
  }
  res.end(JSON.stringify({ instance: process.env.INSTANCE_INDEX ?? "0", path: req.url }));
}).listen(port);
