/**
 * Field schemas shared by the deployment spec: URLs, host names, cron
 * schedules, country codes and jurisdictions, each with a precise message.
 */
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { Country, Jurisdiction, countryCodeForName, normaliseCountry, parseEndpoint, parseJurisdiction } from '../jurisdiction';

/** Adds a custom issue whose params carry `allowed` and `fix` for the problem report. */
export function fail(ctx: z.RefinementCtx, message: string, allowed: string, fix?: string): void {
  ctx.addIssue({ code: 'custom', message, params: { allowed, fix } });
}

const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** A DNS name such as `desk.agency.example`. */
export const hostName = z.string().superRefine((value, ctx) => {
  if (!HOST.test(value)) {
    fail(ctx, 'not a fully qualified DNS name', 'lower-case DNS name with at least two labels, e.g. desk.agency.example',
      value !== value.toLowerCase() && HOST.test(value.toLowerCase()) ? `write it in lower case: "${value.toLowerCase()}"` : undefined);
  }
});

/**
 * A URL with one of the given schemes and a host, parsed by the one endpoint
 * parser of the proof and written in its canonical form (lower-case scheme
 * and host, no trailing dot), so the host judged is the host deployed.
 */
export function url(schemes: readonly string[], example: string) {
  return z.string().transform((value, ctx): string => {
    if (value.includes('@') && !/[\s\\]/.test(value)) {
      fail(ctx, 'credentials or a user in a URL would be written into the synthesized plan, and URL parsers disagree about the host of user@host',
        'a URL without user@ or user:password@', 'remove the user part and provide credentials through a Kubernetes Secret');
      return z.NEVER;
    }
    const parsed = parseEndpoint(value);
    if (!parsed.ok) {
      fail(ctx, `not a URL every consumer reads the same way: ${parsed.reason}`, `a ${schemes.join(' or ')} URL, e.g. ${example}`, parsed.hint);
      return z.NEVER;
    }
    const { scheme } = parsed.endpoint;
    if (!scheme) {
      fail(ctx, 'not a URL: the scheme is missing', `a ${schemes.join(' or ')} URL, e.g. ${example}`, `add the scheme: "${schemes[0]}://${value}"`);
      return z.NEVER;
    }
    if (!schemes.includes(scheme)) {
      fail(ctx, `scheme ${scheme}:// is not allowed here`, `${schemes.map((s) => `${s}://`).join(' or ')} (TLS is required)`,
        `use "${value.replace(/^[a-z0-9+.-]+:/i, `${schemes[0]}:`)}"`);
      return z.NEVER;
    }
    return parsed.endpoint.canonical;
  });
}

const CRON_FIELDS = ['minute', 'hour', 'day of month', 'month', 'day of week'] as const;

/** Why a cron expression does not parse, or undefined when it does. */
function cronError(expression: string): string | undefined {
  try {
    CronExpressionParser.parse(expression);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * A five-field cron schedule such as `0 2 * * *`, checked by cron-parser; a
 * bad field is named (`0 25 * * *`: the hour is out of range).
 */
export const cronSchedule = z.string().superRefine((value, ctx) => {
  const allowed = 'minute hour day-of-month month day-of-week, e.g. "0 2 * * *" (ranges, lists, steps and names such as MON-FRI allowed)';
  const fields = value.trim().split(/\s+/);
  if (fields.length !== 5) {
    fail(ctx, `not a five-field cron schedule: ${fields.length} field${fields.length === 1 ? '' : 's'}`, allowed);
    return;
  }
  for (let index = 0; index < fields.length; index++) {
    const alone = CRON_FIELDS.map((_, i) => (i === index ? fields[i] : '*')).join(' ');
    const error = cronError(alone);
    if (error) {
      fail(ctx, `the ${CRON_FIELDS[index]} field "${fields[index]}" is not valid: ${error}`, allowed);
      return;
    }
  }
  const error = cronError(fields.join(' '));
  if (error) fail(ctx, `the schedule never runs or does not parse: ${error}`, allowed);
});

/** An ISO 3166-1 alpha-2 code (`EL` accepted for Greece). */
export const country = z.string().transform((value, ctx): Country => {
  const code = normaliseCountry(value);
  if (!code) {
    fail(ctx, `"${value}" is not an ISO 3166-1 alpha-2 country code`, 'a two-letter code such as DE, FR, NL (EL or GR for Greece)',
      value.toUpperCase() === 'UK' ? 'use GB for the United Kingdom' : countryHint(value));
    return z.NEVER;
  }
  return code;
});

/** `did you mean "DE"?` for a country written by name, such as Germany or Deutschland. */
function countryHint(value: string): string | undefined {
  const code = countryCodeForName(value);
  return code ? `did you mean "${code}"?` : undefined;
}

/** One or more countries. */
export const countries = z.union([country.transform((c) => [c]), z.array(country).min(1)]);

/** A jurisdiction: a country code, `EU`, `EEA`, or a list of them. */
export const jurisdiction = z
  .union([z.string(), z.array(z.string()).min(1)])
  .transform((value, ctx): Jurisdiction => {
    const parsed = parseJurisdiction(value);
    if ('jurisdiction' in parsed) return parsed.jurisdiction;
    for (const problem of parsed.problems) {
      fail(ctx, `"${problem.term}" is not a country code or group`, 'an ISO 3166-1 alpha-2 code, EU, EEA, or a list such as [DE, AT]',
        problem.suggestion ? `did you mean "${problem.suggestion}"?` : undefined);
    }
    return z.NEVER;
  });

/** An IPv4 or IPv6 address range. */
export const cidr = z.string().superRefine((value, ctx) => {
  if (!z.cidrv4().safeParse(value).success && !z.cidrv6().safeParse(value).success) {
    fail(ctx, 'not an address range', 'CIDR notation, e.g. 192.0.2.0/24 or 2001:db8::/32',
      /^[\d.]+$/.test(value) ? `add the prefix length, e.g. "${value}/32"` : undefined);
  }
});

/** A string matching `regex`, with a message and what is allowed. */
export function pattern(regex: RegExp, message: string, allowed: string) {
  return z.string().superRefine((value, ctx) => {
    if (!regex.test(value)) fail(ctx, message, allowed);
  });
}
