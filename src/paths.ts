import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

/**
 * packageRoot is the folder holding k8s-learn's package.json. Code runs from src/ (tests), dist/
 * or dist/chunks/ (bundled), so data files are found from the root rather than from this file.
 */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      const name = (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name;
      if (name === 'k8s-learn') {
        cachedRoot = dir;
        return dir;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('k8s-learn: cannot find its own package.json');
    dir = parent;
  }
}

/** builtinCourseDir is the course shipped in the package (lessons/). */
export function builtinCourseDir(): string {
  return join(packageRoot(), 'lessons');
}

/** templatesDir is where `files` entries of a step find their Handlebars templates by default. */
export function templatesDir(): string {
  return join(packageRoot(), 'templates');
}
