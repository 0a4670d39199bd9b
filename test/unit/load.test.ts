// The pure parts of `k8s-learn load`: the command line's values, how much CPU a request asks for,
// the HPA reading and the chart's rows.
import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../src/i18n/index.js';
import { cpuTop, renderChart, replicaMark, type Sample } from '../../src/load/chart.js';
import { hpaState } from '../../src/load/hpa-state.js';
import { burnPerRequest, parseCpu, parseDuration, parseTarget } from '../../src/load/plan.js';

const t = createTranslator('en');

describe('load plan', () => {
  it('reads durations, CPU quantities and targets', () => {
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('2m')).toBe(120);
    expect(parseDuration('1m30s')).toBe(90);
    expect(parseDuration('45')).toBe(45);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration('')).toBeUndefined();
    expect(parseCpu('250m')).toBe(250);
    expect(parseCpu('0.5')).toBe(500);
    expect(parseCpu('lots')).toBeUndefined();
    expect(parseTarget('svc/k8s-core')).toBe('k8s-core');
    expect(parseTarget('service/web')).toBe('web');
    expect(parseTarget('deploy/web')).toBeUndefined();
  });

  it('sizes each request so the whole load asks for the chosen CPU on either clock', () => {
    // Real time: 5 requests/s of 50 ms each = 250 ms of CPU per second = 250m.
    expect(burnPerRequest({ cpuMillicores: 250, ratePerSecond: 5, clockScale: 1 })).toBe(50);
    // A 50× faster clock squeezes the metrics window: each request carries 50× more CPU time per
    // wall second of requests (20/s here): 250 / (20 × 0.02) = 625 ms.
    expect(burnPerRequest({ cpuMillicores: 250, ratePerSecond: 20, clockScale: 0.02 })).toBe(625);
  });
});

describe('HPA reading', () => {
  it('takes replicas, CPU against the target, and a condition that blocks scaling', () => {
    const state = hpaState({
      metadata: { name: 'k8s-core' },
      spec: {
        minReplicas: 1,
        maxReplicas: 5,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { averageUtilization: 50 } } }],
      },
      status: {
        currentReplicas: 1,
        desiredReplicas: 1,
        conditions: [
          {
            type: 'ScalingActive',
            status: 'False',
            reason: 'FailedGetResourceMetric',
            message: 'missing request for cpu in container app of Pod x',
          },
        ],
      },
    });
    expect(state).toMatchObject({ name: 'k8s-core', replicas: 1, min: 1, max: 5, target: 50 });
    expect(state.cpu).toBeUndefined();
    expect(state.problem?.reason).toBe('FailedGetResourceMetric');
  });
});

describe('chart', () => {
  it('draws CPU columns against a dotted target line and the replicas under each column', () => {
    const samples: Sample[] = [
      { at: 0, replicas: 1, cpu: 1, loading: true },
      { at: 3, replicas: 1, cpu: 250, loading: true },
      { at: 6, replicas: 5, cpu: 50, loading: true },
      { at: 9, replicas: 5, cpu: 1, loading: false },
      { at: 12, replicas: 1, cpu: 1, loading: false },
    ];
    const rows = renderChart(samples, { width: 40, height: 5, target: 50, maxReplicas: 5 }, t);
    expect(rows[0]).toContain('target 50%');
    // Top row: 250 % is the peak (above twice the target), only the second column reaches it.
    expect(rows[1]).toBe('  250% ┤ █   ');
    // The target row (50 % of 250 % → the bottom row) is dotted where no column reaches it.
    expect(rows[5]).toMatch(/^ {3}50% ┤┄██┄┄$/);
    expect(rows[6]).toBe('  pods │11551');
    expect(rows[7]).toBe('       └━━━──');
  });

  it('keeps the newest columns when there are more samples than width', () => {
    const samples: Sample[] = Array.from({ length: 30 }, (_, i) => ({
      at: i * 3,
      replicas: i < 20 ? 1 : 3,
      cpu: 10,
      loading: true,
    }));
    const rows = renderChart(samples, { width: 12, height: 4, target: 50, maxReplicas: 5 }, t);
    expect(rows.at(-2)).toBe('  pods │113333333333');
  });

  it('scales to twice the target when the CPU stays low, and marks 10+ replicas with letters', () => {
    expect(cpuTop([{ at: 0, replicas: 1, cpu: 20, loading: true }], 50)).toBe(100);
    expect(cpuTop([{ at: 0, replicas: 1, cpu: 333, loading: true }], 50)).toBe(350);
    expect(replicaMark(7)).toBe('7');
    expect(replicaMark(10)).toBe('a');
  });
});
