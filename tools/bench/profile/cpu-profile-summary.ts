/**
 * Where a Node process spent its CPU, from a V8 `.cpuprofile` (`node --cpu-prof`, or
 * `STACK_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR"` for every app the stack runner starts):
 * self time summed by package (node_modules/<pkg>), Node's own modules, native functions (socket
 * writes show up here as `writev`/`writeBuffer`), garbage collection, and our code, plus the
 * hottest functions.
 */

export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string } }>;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled time in seconds, idle included. */
  totalSeconds: number;
  busySeconds: number;
  /** Busy seconds by where the code lives, largest first. */
  byPlace: Array<[string, number]>;
  /** Busy seconds by function (place + name), largest first. */
  byFunction: Array<[string, number]>;
}

/** What a frame's code belongs to: a package, a Node module, native code, GC, or ours. */
export function placeOf({ functionName, url }: { functionName: string; url: string }): string {
  if (functionName === '(idle)') return '(idle)';
  if (functionName === '(garbage collector)') return '(gc)';
  if (functionName === '(program)') return '(program)';
  if (!url) return '(native)';
  if (url.includes('node_modules/')) {
    const [first = '', second = ''] = (url.split('node_modules/').pop() ?? '').split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  return 'ours';
}

export function summarize(profile: CpuProfile): ProfileSummary {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const seconds = (profile.timeDeltas[i] ?? 0) / 1e6;
    const frame = frames.get(id);
    if (!frame) return;
    total += seconds;
    const place = placeOf(frame);
    byPlace.set(place, (byPlace.get(place) ?? 0) + seconds);
    if (place !== '(idle)') {
      const name = `${place} ${frame.functionName || '(anonymous)'}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + seconds);
    }
  });
  const idle = byPlace.get('(idle)') ?? 0;
  byPlace.delete('(idle)');
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  return { totalSeconds: total, busySeconds: total - idle, byPlace: sorted(byPlace), byFunction: sorted(byFunction) };
}
