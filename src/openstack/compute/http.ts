/**
 * What every Nova route handler needs from a request: the caller's ComputeCtx, path
 * parameters, the query, and a JSON body member (400 in Nova's words when missing).
 */
import type { FastifyRequest } from 'fastify';
import { contextOf } from '../common/auth.js';
import { computeCtx, type ComputeCtx } from './context.js';
import { badRequest } from './errors.js';
import { MIN_MINOR } from './microversion.js';

declare module 'fastify' {
  interface FastifyRequest {
    novaVersion?: number;
  }
}

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function ctxOf(req: FastifyRequest): ComputeCtx {
  return computeCtx(contextOf(req).auth, req.id, req.novaVersion ?? MIN_MINOR);
}

export function param(req: FastifyRequest, name: string): string {
  return (req.params as Record<string, string>)[name] ?? '';
}

export function queryOf(req: FastifyRequest): URLSearchParams {
  const i = req.url.indexOf('?');
  return new URLSearchParams(i < 0 ? '' : req.url.slice(i + 1));
}

/** The object under `key` in the body, or Nova's 400 for an invalid body. */
export function member(body: unknown, key: string): Json {
  const inner = isObject(body) ? body[key] : undefined;
  if (!isObject(inner)) throw badRequest(`Invalid input for field/attribute ${key}. Value: ${JSON.stringify(inner ?? null)}. '${key}' is a required property`);
  return inner;
}

/** The base URL of the compute API for links (`http://host:port/compute`). */
export function baseUrl(req: FastifyRequest): string {
  const host = req.headers.host ?? '127.0.0.1';
  return `${req.protocol}://${host}/compute`;
}

export function linksOf(req: FastifyRequest, collection: string, id: string): { rel: string; href: string }[] {
  const base = baseUrl(req);
  return [
    { rel: 'self', href: `${base}/v2.1/${collection}/${id}` },
    { rel: 'bookmark', href: `${base}/${collection}/${id}` },
  ];
}

/** A string field: trimmed length within bounds, or 400. */
export function str(v: unknown, field: string, max = 255, min = 1): string {
  if (typeof v !== 'string') throw badRequest(`Invalid input for field/attribute ${field}. Value: ${JSON.stringify(v)}. ${JSON.stringify(v)} is not of type 'string'`);
  if (v.length < min || v.length > max) throw badRequest(`Invalid input for field/attribute ${field}. Value: ${v}. length must be between ${min} and ${max}`);
  return v;
}

/** A whole number in range (Nova accepts numeric strings), or 400. */
export function int(v: unknown, field: string, min = 0, max = 2147483647): number {
  const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw badRequest(`Invalid input for field/attribute ${field}. Value: ${JSON.stringify(v)}. must be an integer between ${min} and ${max}`);
  }
  return n;
}

export function bool(v: unknown, field: string): boolean {
  if (typeof v === 'boolean') return v;
  // oslo's bool_from_string: t/f and y/n count too.
  if (typeof v === 'string' && ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', 't', 'f', 'y', 'n'].includes(v.toLowerCase())) return ['true', '1', 'yes', 'on', 't', 'y'].includes(v.toLowerCase());
  throw badRequest(`Invalid input for field/attribute ${field}. Value: ${JSON.stringify(v)}. ${JSON.stringify(v)} is not of type 'boolean'`);
}

/** A string-to-string map such as metadata (keys 1..255, values ≤255), or 400. */
export function stringMap(v: unknown, field: string): Record<string, string> {
  if (!isObject(v)) throw badRequest(`Invalid input for field/attribute ${field}. Value: ${JSON.stringify(v)}. ${JSON.stringify(v)} is not of type 'object'`);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (k.length < 1 || k.length > 255) throw badRequest(`Invalid input for field/attribute ${field}. Value: ${k}. '${k}' does not match any of the regexes`);
    if (typeof val !== 'string') throw badRequest(`Invalid input for field/attribute ${field}. Value: ${JSON.stringify(val)}. ${JSON.stringify(val)} is not of type 'string'`);
    if (val.length > 255) throw badRequest(`Invalid input for field/attribute ${field}. Value: ${val}. is too long`);
    out[k] = val;
  }
  return out;
}
