import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/commandline.js';
import { createRunner, formatCommand } from '../../src/runner.js';
import { tempWorkspace } from '../helpers/engine.js';

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace();
});
afterEach(() => ws.cleanup());

it('parses command lines like a POSIX shell, without a shell', () => {
  expect(parseCommandLine(`kubectl get pods -o jsonpath='{.items[*].metadata.name}'`)).toEqual([
    'kubectl',
    'get',
    'pods',
    '-o',
    'jsonpath={.items[*].metadata.name}',
  ]);
  expect(parseCommandLine('echo "a \\"b\\"" c\\ d')).toEqual(['echo', 'a "b"', 'c d']);
  expect(parseCommandLine("echo ''")).toEqual(['echo', '']);
  expect(() => parseCommandLine("echo 'open")).toThrow(/unterminated/);
  expect(formatCommand('kubectl', ['get', 'x', '-o', 'jsonpath={.a b}'])).toBe(
    "kubectl get x -o 'jsonpath={.a b}'",
  );
});

it('runs commands, records a transcript line each, and reports a missing program', async () => {
  const transcript = join(ws.dir, '.k8s-learn', 'transcript.log');
  const runner = createRunner({ transcriptPath: transcript });
  const ok = await runner.run(process.execPath, ['-e', 'process.stdout.write("hi"); process.exit(3)']);
  expect(ok).toMatchObject({ exitCode: 3, stdout: 'hi', notFound: false, timedOut: false });
  const missing = await runner.run('definitely-not-a-program-k8s', []);
  expect(missing.notFound).toBe(true);
  const lines = readFileSync(transcript, 'utf8').trim().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/\texit=3\t\d+ms$/);
});

it('kills a command at its timeout', async () => {
  const r = await createRunner().run(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], {
    timeoutMs: 200,
  });
  expect(r.timedOut).toBe(true);
  expect(r.exitCode).not.toBe(0);
});

it('prints instead of running under --dry-run, except read-only probes', async () => {
  const printed: string[] = [];
  const transcript = join(ws.dir, 't.log');
  const runner = createRunner({ dryRun: true, print: (l) => printed.push(l), transcriptPath: transcript });
  const r = await runner.run('kubectl', ['apply', '-f', 'x.yaml']);
  expect(r.dryRun).toBe(true);
  expect(printed).toEqual(['[dry-run] kubectl apply -f x.yaml']);
  const probe = await runner.run(process.execPath, ['-e', 'process.stdout.write("v")'], { readOnly: true });
  expect(probe.stdout).toBe('v');
  expect(existsSync(transcript)).toBe(false);
});

it('streams stdout to onStdout as it arrives and stops the command when its signal aborts', async () => {
  const transcript = join(ws.dir, '.k8s-learn', 'transcript.log');
  const runner = createRunner({ transcriptPath: transcript });
  expect(runner.streams).toBe(true);
  const controller = new AbortController();
  const chunks: string[] = [];
  const started = performance.now();
  const result = await runner.run(
    process.execPath,
    ['-e', 'let n = 0; setInterval(() => process.stdout.write("tick " + n++ + "\\n"), 20)'],
    {
      signal: controller.signal,
      onStdout: (chunk) => {
        chunks.push(chunk);
        // Stop once the command has shown it streams (more than one chunk while running).
        if (chunks.join('').includes('tick 2')) controller.abort();
      },
    },
  );
  expect(performance.now() - started).toBeLessThan(20_000);
  expect(result.aborted).toBe(true);
  expect(result.timedOut).toBe(false);
  expect(chunks.join('')).toMatch(/^tick 0\ntick 1\ntick 2\n/);
  // The streamed output is not kept twice.
  expect(result.stdout).toBe('');
  expect(readFileSync(transcript, 'utf8')).toMatch(/\tstopped\n$/);
  // Without the options nothing changes: output is collected and the run is not marked aborted.
  const plain = await runner.run(process.execPath, ['-e', 'process.stdout.write("hi")']);
  expect(plain).toMatchObject({ stdout: 'hi', exitCode: 0 });
  expect(plain.aborted).toBeUndefined();
});

it('stops a command that retries forever once its output (stderr too) has the answer', async () => {
  const runner = createRunner();
  // What `kubectl drain` does against a budget: the refusal on stderr, then a retry every 5 s.
  const script =
    'setInterval(() => process.stderr.write("error when evicting (will retry after 5s): Cannot evict pod\\n"), 100)';
  const result = await runner.run(process.execPath, ['-e', script], {
    stopWhen: /Cannot evict pod/,
    timeoutMs: 60_000,
  });
  expect(result.aborted).toBe(true);
  expect(result.timedOut).toBe(false);
  expect(result.stderr).toContain('Cannot evict pod');
});
