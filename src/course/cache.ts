// A loaded course, kept between runs: parsing and validating every lesson file is most of what
// `list`, `status` and `verify` would otherwise spend starting up. The cache is keyed by the build
// of k8s-learn (so a new loader never reads an old entry) and by every file and folder of the
// course with its size and modification time; any change means a fresh load. Only the built CLI
// caches (tests and a checkout without a build always load afresh); a cache that cannot be read
// or written is simply not used.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Course, LessonSpec, Step } from './types.js';

declare const __K8S_LEARN_BUILD__: string | undefined;

/** buildId is the build of the running CLI (set by scripts/build.mjs); undefined from sources. */
export function buildId(): string | undefined {
  return typeof __K8S_LEARN_BUILD__ === 'string' ? __K8S_LEARN_BUILD__ : undefined;
}

/** cacheDir is the per-user cache folder (K8S_LEARN_CACHE_DIR overrides). */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.K8S_LEARN_CACHE_DIR) return env.K8S_LEARN_CACHE_DIR;
  const home = env.HOME ?? homedir();
  if (process.platform === 'win32')
    return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'k8s-learn', 'cache');
  if (process.platform === 'darwin') return join(home, 'Library', 'Caches', 'k8s-learn');
  return join(env.XDG_CACHE_HOME ?? join(home, '.cache'), 'k8s-learn');
}

/** fingerprint lists every file and folder a course load may read, with size and mtime. */
function fingerprint(dir: string): string {
  const parts: string[] = [];
  const walk = (at: string) => {
    const stat = statSync(at);
    parts.push(`${at}\t${stat.size}\t${stat.mtimeMs}`);
    if (!stat.isDirectory()) return;
    for (const name of readdirSync(at).sort()) {
      // Templates and check scripts are read when used, not when the course loads.
      if (at === dir && (name === 'templates' || name === 'checks')) continue;
      walk(join(at, name));
    }
  };
  walk(dir);
  return parts.join('\n');
}

interface Entry {
  build: string;
  fingerprint: string;
  course: Omit<Course, 'steps'> & { steps: (Omit<Step, 'lesson'> & { lesson: number })[] };
}

function entryFile(dir: string, env: NodeJS.ProcessEnv): string {
  return join(cacheDir(env), `course-${createHash('sha256').update(dir).digest('hex').slice(0, 16)}.json`);
}

/**
 * loadCourseCached returns the course in `dir`, from the cache when nothing changed since it was
 * stored. A course with problems throws as loadCourse does (and is never cached).
 */
export async function loadCourseCached(
  dir: string,
  options: { build?: string | undefined; env?: NodeJS.ProcessEnv } = {},
): Promise<Course> {
  const env = options.env ?? process.env;
  const build = 'build' in options ? options.build : buildId();
  let print: string | undefined;
  if (build) {
    try {
      print = fingerprint(dir);
      const entry = JSON.parse(readFileSync(entryFile(dir, env), 'utf8')) as Entry;
      if (entry.build === build && entry.fingerprint === print) return revive(entry.course);
    } catch {
      // No usable entry: load afresh.
    }
  }
  const { loadCourse } = await import('./load.js');
  const course = loadCourse(dir);
  if (build && print) store(entryFile(dir, env), { build, fingerprint: print, course: flatten(course) });
  return course;
}

function flatten(course: Course): Entry['course'] {
  return { ...course, steps: course.steps.map((s) => ({ ...s, lesson: course.lessons.indexOf(s.lesson) })) };
}

function revive(stored: Entry['course']): Course {
  const lessons: LessonSpec[] = stored.lessons;
  return { ...stored, lessons, steps: stored.steps.map((s) => ({ ...s, lesson: lessons[s.lesson]! })) };
}

function store(file: string, entry: Entry): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(temp, JSON.stringify(entry));
    renameSync(temp, file);
  } catch {
    rmSync(temp, { force: true });
  }
}
