/**
 * kos validates bodies itself (each API words its own errors), so no route hands Fastify a
 * schema. Supplying compilers that refuse schemas keeps Fastify from loading ajv and
 * fast-json-stringify at start-up — about 50 ms of every cold start.
 */
import type { FastifyServerOptions } from 'fastify';

const refuse = (): never => {
  throw new Error('kos routes declare no Fastify schemas: validate in the handler');
};

export const noSchemaCompilers: NonNullable<FastifyServerOptions['schemaController']> = {
  compilersFactory: { buildValidator: () => refuse, buildSerializer: () => refuse },
};
