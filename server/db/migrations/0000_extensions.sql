-- Extensions every later migration relies on; available in PGlite and in
-- PostgreSQL's contrib package.
CREATE EXTENSION IF NOT EXISTS ltree;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
