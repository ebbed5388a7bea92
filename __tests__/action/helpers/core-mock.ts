import { jest } from '@jest/globals';
import type * as Core from '@actions/core';

type CoreModule = typeof Core;

/** The job summary as the shell wrote it: every `addRaw` text, and how many times it was written. */
export interface SummaryRecord {
  text: string;
  writes: number;
}

type CoreFunctions = ReturnType<typeof createFunctions>;

/**
 * A typed stand-in for `@actions/core`, for `jest.unstable_mockModule('@actions/core', () => mock)`.
 * Every export of the real module is present (a missing one is a compile error), each function is a
 * jest mock of the real signature, inputs come from `inputs`, and the job summary is recorded in
 * `summaryRecord`.
 */
export type CoreMock = Omit<CoreModule, keyof CoreFunctions> &
  CoreFunctions & {
    inputs: Map<string, string>;
    summaryRecord: SummaryRecord;
    /** Clears the calls, the inputs and the summary between tests. */
    reset: () => void;
  };

/** Creates the mock; pass it to `jest.unstable_mockModule` before importing the Action. */
export function createCoreMock(): CoreMock {
  const inputs = new Map<string, string>();
  const summaryRecord: SummaryRecord = { text: '', writes: 0 };
  const fns = createFunctions(inputs);
  const summary = {
    addRaw(text: string) {
      summaryRecord.text += text;
      return summary;
    },
    async write() {
      summaryRecord.writes += 1;
      return summary;
    },
    emptyBuffer() {
      summaryRecord.text = '';
      return summary;
    },
  } as unknown as CoreModule['summary'];
  const mock: CoreMock = {
    ...fns,
    ExitCode: { Success: 0, Failure: 1 } as CoreModule['ExitCode'],
    summary,
    markdownSummary: summary,
    platform: {} as CoreModule['platform'],
    inputs,
    summaryRecord,
    reset: () => {
      for (const fn of Object.values(fns)) fn.mockClear();
      inputs.clear();
      summaryRecord.text = '';
      summaryRecord.writes = 0;
    },
  };
  return mock;
}

function createFunctions(inputs: Map<string, string>) {
  return {
    exportVariable: jest.fn<CoreModule['exportVariable']>(),
    setSecret: jest.fn<CoreModule['setSecret']>(),
    addPath: jest.fn<CoreModule['addPath']>(),
    getInput: jest.fn<CoreModule['getInput']>((name) => inputs.get(name) ?? ''),
    getMultilineInput: jest.fn<CoreModule['getMultilineInput']>((name) =>
      (inputs.get(name) ?? '').split('\n').filter((line) => line !== ''),
    ),
    getBooleanInput: jest.fn<CoreModule['getBooleanInput']>((name) => inputs.get(name) === 'true'),
    setOutput: jest.fn<CoreModule['setOutput']>(),
    setCommandEcho: jest.fn<CoreModule['setCommandEcho']>(),
    setFailed: jest.fn<CoreModule['setFailed']>(),
    isDebug: jest.fn<CoreModule['isDebug']>(() => false),
    debug: jest.fn<CoreModule['debug']>(),
    error: jest.fn<CoreModule['error']>(),
    warning: jest.fn<CoreModule['warning']>(),
    notice: jest.fn<CoreModule['notice']>(),
    info: jest.fn<CoreModule['info']>(),
    startGroup: jest.fn<CoreModule['startGroup']>(),
    endGroup: jest.fn<CoreModule['endGroup']>(),
    group: jest.fn<CoreModule['group']>((_name, fn) => fn()),
    saveState: jest.fn<CoreModule['saveState']>(),
    getState: jest.fn<CoreModule['getState']>(() => ''),
    getIDToken: jest.fn<CoreModule['getIDToken']>(async () => ''),
    toPosixPath: jest.fn<CoreModule['toPosixPath']>((path) => path.split('\\').join('/')),
    toWin32Path: jest.fn<CoreModule['toWin32Path']>((path) => path.split('/').join('\\')),
    toPlatformPath: jest.fn<CoreModule['toPlatformPath']>((path) => path),
  };
}
