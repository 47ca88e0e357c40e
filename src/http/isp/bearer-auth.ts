import type { FastifyRequest } from 'fastify';
import type { Storage } from '../../storage/schema.js';
import { httpError } from '../errors.js';
import type { WorkflowServices } from '../services.js';

/** Tokens are base64url-ish; anything longer is not one of ours and is not worth hashing. */
const MAX_TOKEN = 512;

/** The ISP named by the request's bearer token; 401 without one or with a wrong one. */
export async function ispOfBearer(req: FastifyRequest, storage: Storage, services: WorkflowServices): Promise<string> {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer[ ]+([^\s]+)\s*$/i.exec(h) : null;
  const tok = m?.[1];
  if (tok === undefined || tok.length > MAX_TOKEN) throw httpError('UNAUTHORIZED', 'send Authorization: Bearer <ISP API token>');
  const who = await services.authenticateIspToken(storage, tok);
  if (who === null) throw httpError('UNAUTHORIZED', 'the API token is not valid');
  return who.ispId;
}
