import { KeyedMutex } from './keyed-mutex';

describe('KeyedMutex', () => {
  it('runs work for one key one at a time, in arrival order', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    let releaseFirst!: () => void;
    const first = mutex.run('a', async () => {
      log.push('first:start');
      await new Promise<void>((resolve) => (releaseFirst = resolve));
      log.push('first:end');
    });
    const second = mutex.run('a', async () => {
      log.push('second');
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(log).toEqual(['first:start']);
    releaseFirst();
    await Promise.all([first, second]);
    expect(log).toEqual(['first:start', 'first:end', 'second']);
  });

  it('lets different keys run side by side', async () => {
    const mutex = new KeyedMutex();
    let releaseA!: () => void;
    const a = mutex.run('a', () => new Promise<void>((resolve) => (releaseA = resolve)));
    await expect(mutex.run('b', async () => 'b done')).resolves.toBe('b done');
    releaseA();
    await a;
  });

  it('releases the key when the work throws', async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.run('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(mutex.run('a', async () => 'next')).resolves.toBe('next');
  });
});
