// Every `k8s-learn …` line the course shows must run as shown: npx, npm start from a checkout, or
// a global install.
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectInvocation } from '../../src/invocation.js';
import { tempWorkspace } from '../helpers/engine.js';

let tmp: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  tmp = tempWorkspace();
});
afterEach(() => tmp.cleanup());

describe('detectInvocation', () => {
  it('says npx k8s-learn under npx, npm start -- from a checkout, k8s-learn when on PATH', () => {
    const bin = join(tmp.dir, 'pkg', 'bin', 'k8s-learn.js');
    mkdirSync(join(tmp.dir, 'pkg', 'bin'), { recursive: true });
    writeFileSync(bin, '#!/usr/bin/env node\n');
    chmodSync(bin, 0o755);
    expect(detectInvocation({ npm_command: 'exec', PATH: '' }, bin)).toBe('npx k8s-learn');
    expect(
      detectInvocation({ npm_lifecycle_event: 'start', npm_package_name: 'k8s-learn', PATH: '' }, bin),
    ).toBe('npm start --');
    // A global install puts a link to our bin on PATH.
    const globalBin = join(tmp.dir, 'global-bin');
    mkdirSync(globalBin);
    symlinkSync(bin, join(globalBin, 'k8s-learn'));
    expect(detectInvocation({ PATH: globalBin }, bin)).toBe('k8s-learn');
    // Another k8s-learn on PATH is not this one.
    const otherBin = join(tmp.dir, 'other-bin');
    mkdirSync(otherBin);
    writeFileSync(join(otherBin, 'k8s-learn'), '#!/bin/sh\n');
    expect(detectInvocation({ PATH: otherBin }, bin)).toBe('npx k8s-learn');
    // What k8s-learn passes to the commands it runs for the learner wins.
    expect(detectInvocation({ K8S_LEARN_INVOCATION: 'npm start --', npm_command: 'exec' }, bin)).toBe(
      'npm start --',
    );
  });
});
