// PRE_DEPLOY job: brings the schema up to date before a new version starts.
import pg from "pg";

const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
await client.query("CREATE TABLE IF NOT EXISTS orders (id serial PRIMARY KEY, item text NOT NULL)");
await client.end();
console.log("migrations applied");
