// A background worker: reports the order count every few seconds.
import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
setInterval(async () => {
  try {
    const { rows } = await pool.query("SELECT count(*)::int AS n FROM orders");
    console.log(`${new Date().toISOString()} orders: ${rows[0].n}`);
  } catch (err) {
    console.error(err.message);
  }
}, 5000);
