import { describe, expect, it } from 'vitest';
import { attribute } from '../../tools/long-tasks';

const PAGE = 10;
const EXT = 20;
const MAIN = 1;

/** A small Chromium trace: process and thread names, tasks, and a CPU profile in two chunks. */
function trace() {
  const meta = (pid: number, tid: number, kind: 'process_name' | 'thread_name', name: string) => ({ name: kind, ph: 'M', pid, tid, ts: 0, args: { name } });
  const task = (pid: number, ts: number, dur: number) => ({ name: 'RunTask', ph: 'X', pid, tid: MAIN, ts, dur });
  const nodes = [
    { id: 1, callFrame: { functionName: '(root)', url: '' } },
    { id: 2, parent: 1, callFrame: { functionName: 'pageScript', url: 'http://127.0.0.1:8000/' } },
    { id: 3, parent: 1, callFrame: { functionName: 'scan', url: 'chrome-extension://abc/content-scripts/content.js' } },
    // A DOM call made by the content script is the content script's time.
    { id: 4, parent: 3, callFrame: { functionName: 'querySelectorAll', url: '' } },
  ];
  return [
    meta(PAGE, MAIN, 'process_name', 'Renderer'),
    meta(PAGE, MAIN, 'thread_name', 'CrRendererMain'),
    meta(EXT, MAIN, 'process_name', 'Extension Renderer'),
    meta(EXT, MAIN, 'thread_name', 'CrRendererMain'),
    // Page tasks: 0-60 ms (page script only), 100-180 ms (40 ms of it the extension), 200-210 ms.
    task(PAGE, 1_000_000, 60_000),
    task(PAGE, 1_100_000, 80_000),
    task(PAGE, 1_200_000, 10_000),
    // The extension's own process: never a page's long task, even when busy.
    task(EXT, 1_000_000, 90_000),
    { name: 'Profile', ph: 'P', pid: PAGE, tid: MAIN, ts: 1_000_000, id: '0x1', args: { data: { startTime: 1_000_000 } } },
    {
      name: 'ProfileChunk',
      ph: 'P',
      pid: PAGE,
      tid: 99,
      ts: 1_100_000,
      id: '0x1',
      // Samples every 10 ms from 1,010,000: page script for the first task, then the second task half ours.
      args: {
        data: {
          cpuProfile: { nodes, samples: [2, 2, 2, 2, 2, 1, 1, 1, 1, 1] },
          timeDeltas: [10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000],
        },
      },
    },
    {
      name: 'ProfileChunk',
      ph: 'P',
      pid: PAGE,
      tid: 99,
      ts: 1_200_000,
      id: '0x1',
      args: {
        data: {
          cpuProfile: { samples: [3, 4, 4, 3, 2, 2, 2, 3, 1, 1] },
          timeDeltas: [10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000],
        },
      },
    },
    { name: 'Profile', ph: 'P', pid: EXT, tid: MAIN, ts: 1_000_000, id: '0x1', args: { data: { startTime: 1_000_000 } } },
    {
      name: 'ProfileChunk',
      ph: 'P',
      pid: EXT,
      tid: 98,
      ts: 1_100_000,
      id: '0x1',
      args: {
        data: { cpuProfile: { nodes, samples: [3, 3, 3, 3, 3, 3, 3, 3] }, timeDeltas: [10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000] },
      },
    },
  ];
}

describe('long tasks charged to the extension from a Chromium trace (RELIABILITY row 14)', () => {
  it('charges each page task with the samples that have an extension script on the stack', () => {
    const result = attribute(trace());
    expect(result.tasks.map((t) => [t.at, t.ms, t.extensionMs])).toEqual([
      [0, 60, 0],
      [100, 80, 40],
      [200, 10, 0],
    ]);
    expect(result.tasks[1].extensionStacks).toEqual([
      ['scan', 20],
      ['scan > querySelectorAll', 20],
    ]);
    expect(result.extensionSamples).toBe(5);
    expect(result.extensionMs).toBe(40);
  });
});
