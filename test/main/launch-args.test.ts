import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLaunchArgs, profileArgs, profileUserDataDir } from '../../src/main/launch-args';

const EXE = ['/opt/Courier/courier'];
const DEV = ['/node_modules/electron/dist/electron', '.', '--no-sandbox'];

describe('parseLaunchArgs', () => {
  it('defaults: the default profile, shown', () => {
    expect(parseLaunchArgs(EXE)).toEqual({ ok: true, options: { profile: null, hidden: false } });
    expect(parseLaunchArgs(DEV)).toEqual({ ok: true, options: { profile: null, hidden: false } });
  });

  it('reads --profile NAME, --profile=NAME and --hidden anywhere on the line', () => {
    expect(parseLaunchArgs([...EXE, '--profile', 'work'])).toEqual({ ok: true, options: { profile: 'work', hidden: false } });
    expect(parseLaunchArgs([...DEV, '--hidden', '--profile=test_2'])).toEqual({ ok: true, options: { profile: 'test_2', hidden: true } });
    expect(parseLaunchArgs([...EXE, '--profile', 'a', '--profile=a'])).toMatchObject({ ok: true, options: { profile: 'a' } });
  });

  it.each(['a', '0', 'work-2', 'a_b', 'x'.repeat(32)])('accepts %s', (name) => {
    expect(parseLaunchArgs([...EXE, '--profile', name])).toMatchObject({ ok: true, options: { profile: name } });
  });

  it.each(['', 'Work', '-x', '_x', 'a b', 'a/b', '..', 'x'.repeat(33), 'é', 'a.b', 'con\u0000'])('rejects %j', (name) => {
    expect(parseLaunchArgs([...EXE, '--profile', name])).toMatchObject({ ok: false });
    expect(parseLaunchArgs([...EXE, `--profile=${name}`])).toMatchObject({ ok: false });
  });

  it('rejects a missing name and two different names', () => {
    expect(parseLaunchArgs([...EXE, '--profile'])).toMatchObject({ ok: false, error: expect.stringContaining('needs a name') });
    expect(parseLaunchArgs([...EXE, '--profile', '--hidden'])).toMatchObject({ ok: false });
    expect(parseLaunchArgs([...EXE, '--profile', 'a', '--profile', 'b'])).toMatchObject({ ok: false, error: expect.stringContaining('twice') });
  });
});

describe('profiles on disk and on the command line', () => {
  it('puts a profile beside the default one', () => {
    expect(profileUserDataDir('/home/a/.config', 'work')).toBe(join('/home/a/.config', 'Courier-work'));
  });

  it('passes the profile on to relaunches', () => {
    expect(profileArgs(null)).toEqual([]);
    expect(profileArgs('work')).toEqual(['--profile', 'work']);
    const reparsed = parseLaunchArgs([...EXE, ...profileArgs('work')]);
    expect(reparsed).toMatchObject({ ok: true, options: { profile: 'work' } });
  });
});
