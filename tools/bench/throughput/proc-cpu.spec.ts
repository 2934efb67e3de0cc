import { CpuAccount, listeningInodes, parseMachineStat, parseStat } from './proc-cpu';

// A real /proc/<pid>/stat line, with a command name holding a space and a parenthesis.
const stat = (utime: number, stime: number, start = 4242) =>
  `1234 (node (main) x) S 1 1234 1234 0 -1 4194560 100 0 0 0 ${utime} ${stime} 0 0 20 0 11 0 ${start} 1000000 5000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0`;

describe('parseStat', () => {
  it('adds utime and stime, keyed by pid and start time', () => {
    expect(parseStat(1234, stat(150, 50))).toEqual({ key: '1234:4242', ticks: 200 });
  });

  it('refuses a line it cannot read', () => {
    expect(() => parseStat(1, 'garbage')).toThrow('unreadable /proc/1/stat');
  });
});

describe('parseMachineStat', () => {
  it('counts user, nice, system, irq and softirq as busy, steal apart', () => {
    expect(parseMachineStat('cpu  100 5 40 9000 7 1 2 30 0 0\ncpu0 1 2 3\n')).toEqual({ busy: 148, steal: 30 });
  });
});

describe('CpuAccount', () => {
  it('counts from the first sample', () => {
    const account = new CpuAccount();
    account.add([parseStat(1, stat(100, 0))]);
    account.add([parseStat(1, stat(130, 20))]);
    expect(account.ticks()).toBe(50);
  });

  it('keeps what a process used until its last sample after it exits', () => {
    const account = new CpuAccount();
    account.add([parseStat(1, stat(100, 0)), parseStat(2, stat(10, 0))]);
    account.add([parseStat(1, stat(110, 0)), parseStat(2, stat(40, 0))]);
    account.add([parseStat(1, stat(120, 0))]);
    expect(account.ticks()).toBe(20 + 30);
  });

  it('counts a process born after the first sample from zero', () => {
    const account = new CpuAccount();
    account.add([]);
    account.add([parseStat(7, stat(3, 2))]);
    expect(account.ticks()).toBe(5);
    expect(account.processes()).toBe(1);
  });

  it('tells a reused pid from the process that had it', () => {
    const account = new CpuAccount();
    account.add([parseStat(9, stat(500, 0, 100))]);
    account.add([parseStat(9, stat(4, 0, 900))]);
    expect(account.ticks()).toBe(4);
  });
});

describe('listeningInodes', () => {
  const table = [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 0100007F:72EC 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 55501 1 0000000000000000 100 0 0 10 0',
    '   1: 0100007F:72EC 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 55502 1 0000000000000000 20 4 30 10 -1',
    '   2: 0100007F:18EB 00000000:0000 0A 00000000:00000000 00:00000000 00000000   107        0 20001 1 0000000000000000 100 0 0 10 0',
  ].join('\n');

  it('finds the listening socket of the port, not its connections', () => {
    expect(listeningInodes(table, 29420)).toEqual(['55501']);
    expect(listeningInodes(table, 6379)).toEqual(['20001']);
    expect(listeningInodes(table, 5432)).toEqual([]);
  });
});
