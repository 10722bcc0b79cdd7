/**
 * The shell's half of "files from the project folder": reads what the converter asks for
 * (`projectFilePaths`) so that `convert/` stays pure. Only regular files are read (a named pipe
 * would block), symbolic links are followed only while they stay inside the project folder, and a
 * folder is read only up to the budget the task can carry; past it the folder is `tooLarge` and
 * nothing more is read.
 */
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Project } from '../compose/model.js';
import { projectFilePaths, type ProjectFiles } from '../convert/index.js';
import { FILES_BUDGET_BYTES, FILES_MAX_ENTRIES, type DirEntry, type PathFacts } from '../convert/project-files.js';

function insideProject(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function readDir(root: string, dir: string): PathFacts {
  const entries: DirEntry[] = [];
  let size = 0;
  let tooLarge = false;
  const walk = (d: string, prefix: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (tooLarge) return;
      const full = path.join(d, e.name);
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      let st;
      try {
        st = statSync(full);
      } catch {
        continue; // a dangling link: docker would mount it dangling too
      }
      if (e.isSymbolicLink() && !insideProject(root, realpathSync(full))) continue;
      if (st.isDirectory()) walk(full, rel);
      else if (st.isFile()) {
        size += st.size;
        if (size > FILES_BUDGET_BYTES || entries.length >= FILES_MAX_ENTRIES) {
          tooLarge = true;
          return;
        }
        entries.push({ path: rel, content: readFileSync(full).toString('base64'), size: st.size, mode: st.mode & 0o777 });
      }
    }
  };
  walk(dir, '');
  return { kind: 'dir', entries: tooLarge ? [] : entries, size, tooLarge };
}

function factsOf(root: string, p: string): PathFacts {
  let st;
  try {
    lstatSync(p);
    st = statSync(p);
  } catch {
    return { kind: 'missing' };
  }
  if (st.isDirectory()) return readDir(root, p);
  if (!st.isFile()) return { kind: 'missing' };
  // too large to carry: not read; the converter refuses it by its size
  if (st.size > FILES_BUDGET_BYTES) return { kind: 'file', content: '', size: st.size, mode: st.mode & 0o777 };
  return { kind: 'file', content: readFileSync(p).toString('base64'), size: st.size, mode: st.mode & 0o777 };
}

export function readProjectFiles(project: Project): ProjectFiles {
  const out: Record<string, PathFacts> = {};
  for (const p of projectFilePaths(project)) out[p] = factsOf(project.workingDir, p);
  return out;
}
