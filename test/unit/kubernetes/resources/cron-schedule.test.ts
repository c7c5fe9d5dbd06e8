import { describe, expect, it } from 'vitest';
import { cronScheduleProblem, isKnownTimeZone } from '../../../../src/kubernetes/apiserver/resources/cron-schedule.js';

describe('cron schedules', () => {
  it.each(['*/5 * * * *', '0 0 1 1 *', '0-30/10 8-17 * JAN-MAR mon-fri', '15 3 ? * SUN', '@hourly', '@every 1h30m', '0,30 * * * 0-6'])('accepts %s', (s) => {
    expect(cronScheduleProblem(s)).toBeUndefined();
  });

  it.each([
    ['', 'empty spec string'],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* 5-2 * * *', 'beginning of range (5) beyond end of range (2): 5-2'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
  ])('rejects %j: %s', (s, why) => {
    expect(cronScheduleProblem(s)).toBe(why);
  });

  it('knows IANA zones and refuses Local', () => {
    expect(isKnownTimeZone('Europe/Berlin')).toBe(true);
    expect(isKnownTimeZone('Local')).toBe(false);
    expect(isKnownTimeZone('Nowhere/Special')).toBe(false);
  });
});
