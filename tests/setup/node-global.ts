import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDatabase } from '#db/client.ts';
import { applyMigrations } from '#db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}

/** Migrates one template database; each test file copies it instead of migrating again. */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(path.join(tmpdir(), 'hearth-template-'));
  const file = path.join(dir, 'template.db');
  const db = createDatabase({ url: `file:${file}` });
  await applyMigrations(db);
  db.$client.close();
  project.provide('templateDb', file);
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
