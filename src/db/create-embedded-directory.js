// `node create-embedded-directory.js <pgdata>`: creates a new embedded database directory (PGlite's
// initdb) in a process of its own. initdb grows a process by about 600 MB that it does not give
// back; in a process that then exits, that memory goes with it, and the server opens the finished
// directory as on any later start.
import { argv } from "node:process";
import { PGlite } from "@electric-sql/pglite";

const database = await PGlite.create(argv[2]);
await database.close();
