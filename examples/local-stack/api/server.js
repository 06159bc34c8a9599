// The example API: orders in PostgreSQL, one process per replica on $PORT.
import { createServer } from "node:http";
import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
const json = (res, status, body) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

createServer(async (req, res) => {
  try {
    if (req.url === "/healthz") return json(res, 200, { status: "ok" });
    if (req.url === "/orders" && req.method === "GET") {
      const { rows } = await pool.query("SELECT id, item FROM orders ORDER BY id");
      return json(res, 200, { replica: process.env.INSTANCE_INDEX, orders: rows });
    }
    if (req.url === "/orders" && req.method === "POST") {
      let body = "";
      for await (const chunk of req) body += chunk;
      const { item } = JSON.parse(body || "{}");
      const { rows } = await pool.query("INSERT INTO orders (item) VALUES ($1) RETURNING id", [
        String(item ?? ""),
      ]);
      return json(res, 201, { id: rows[0].id });
    }
    json(res, 404, { error: "not found" });
  } catch (err) {
    json(res, 500, { error: err.message });
  }
}).listen(Number(process.env.PORT), "127.0.0.1");
