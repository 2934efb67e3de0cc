import { stackNodeArgs } from './service-process';

describe('stackNodeArgs (STACK_NODE_ARGS)', () => {
  const flags = '--cpu-prof --cpu-prof-dir=/tmp/prof  --cpu-prof-name={app}.cpuprofile';

  it('names the first replica after its app', () => {
    expect(stackNodeArgs(flags, 'order-service')).toEqual(['--cpu-prof', '--cpu-prof-dir=/tmp/prof', '--cpu-prof-name=order-service.cpuprofile']);
  });

  it('gives each further replica a file of its own', () => {
    expect(stackNodeArgs(flags, 'order-service#2')).toContain('--cpu-prof-name=order-service-2.cpuprofile');
  });

  it('adds nothing when unset', () => {
    expect(stackNodeArgs(undefined, 'order-service')).toEqual([]);
  });
});
