/**
 * JSON Schemas of the ISP API, used for request validation and for the OpenAPI document.
 * Responses are documented only: the API plugin serialises with JSON.stringify, so a field the
 * workflow adds is never silently dropped by a stale schema.
 */
const error = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] } },
  required: ['error'],
} as const;

const errors = {
  400: { description: 'bad request', ...error },
  401: { description: 'no or wrong bearer token', ...error },
  404: { description: 'unknown (or another ISP’s) id', ...error },
} as const;

const str = { type: 'string' } as const;
const nstr = { type: ['string', 'null'] } as const;
const int = { type: 'integer' } as const;

export const observationSchema = {
  type: 'object',
  properties: { time: str, srcPort: { type: ['integer', 'null'] }, dstIp: nstr, dstPort: { type: ['integer', 'null'] }, protocol: str },
} as const;

export const requestSchema = {
  type: 'object',
  properties: {
    requestId: str,
    isp: str,
    week: str,
    createdAt: str,
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          trackingId: str,
          ticket: str,
          srcIp: str,
          firstSeen: str,
          lastSeen: str,
          attackCount: int,
          botNames: { type: 'array', items: str },
          vulnerabilities: { type: 'array', items: str },
          trackingUrl: str,
          observations: { type: 'array', items: observationSchema },
        },
      },
    },
  },
} as const;

const security = [{ bearer: [] as string[] }];
const tags = ['isp'];

export const listRequestsSchema = {
  tags,
  security,
  summary: "the ISP's identification requests, newest first",
  response: {
    200: {
      type: 'object',
      properties: {
        requests: {
          type: 'array',
          items: { type: 'object', properties: { requestId: str, week: str, createdAt: str, itemCount: int, answeredCount: int } },
        },
      },
    },
    ...errors,
  },
};

export const getRequestSchema = {
  tags,
  security,
  summary: 'one identification request as JSON, CSV (one row per observation) or X-ARF v4 reports',
  params: { type: 'object', properties: { requestId: { type: 'string', minLength: 1, maxLength: 200 } }, required: ['requestId'] },
  querystring: { type: 'object', properties: { format: { type: 'string', enum: ['json', 'csv', 'xarf'], default: 'json' } } },
  response: {
    200: {
      description: 'JSON request (format=json), text/csv (format=csv: tracking_id,ticket,src_ip,time_utc,src_port,dst_ip,dst_port,protocol) or an array of X-ARF v4 reports (format=xarf)',
      content: {
        'application/json': { schema: requestSchema },
        'text/csv': { schema: { type: 'string' } },
      },
    },
    ...errors,
  },
};

const answerItem = {
  type: 'object',
  properties: { trackingId: str, result: { type: 'string', enum: ['identified', 'not-found', 'not-our-customer'] }, subscriberKey: str },
  required: ['trackingId', 'result'],
} as const;

/** Documented in the OpenAPI file only: the workflow validates the body row by row and answers 422 with reasons. */
export const answersRequestBody = {
  required: true,
  content: {
    'application/json': { schema: { type: 'object', properties: { answers: { type: 'array', items: answerItem } }, required: ['answers'] } },
    'text/csv': { schema: { type: 'string', description: 'header tracking_id,result,subscriber_key' } },
  },
};

export const postAnswersSchema = {
  tags,
  security,
  summary: 'answers for tracking IDs; applied as a whole or not at all',
  response: {
    200: { type: 'object', properties: { applied: int } },
    413: { description: 'the upload is larger than the configured limit', ...error },
    422: {
      description: 'nothing applied; one reason per rejected row',
      type: 'object',
      properties: {
        applied: int,
        rejected: { type: 'array', items: { type: 'object', properties: { row: int, trackingId: nstr, reason: str } } },
      },
    },
    ...errors,
  },
};

export const postNoticesSchema = {
  tags,
  security,
  summary: 'notices the ISP sent, as facts, never contents; recorded as a whole or not at all',
  body: {
    type: 'object',
    properties: {
      notices: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            trackingId: { type: 'string', minLength: 1, maxLength: 200 },
            stage: { type: 'integer', minimum: 1, maximum: 99 },
            channel: { type: 'string', enum: ['email', 'postal'] },
            sentAt: { type: 'string', format: 'date-time' },
          },
          required: ['trackingId', 'stage', 'channel', 'sentAt'],
          additionalProperties: false,
        },
      },
    },
    required: ['notices'],
    additionalProperties: false,
  },
  response: {
    200: { type: 'object', properties: { recorded: int } },
    422: {
      description: 'nothing recorded; one reason per rejected notice (index in the list)',
      type: 'object',
      properties: { recorded: int, rejected: { type: 'array', items: { type: 'object', properties: { index: int, trackingId: nstr, reason: str } } } },
    },
    ...errors,
  },
};

export const activitySchema = {
  tags,
  security,
  summary: "site activity for the ISP's incidents",
  querystring: { type: 'object', properties: { since: { type: 'string', format: 'date-time' } } },
  response: {
    200: {
      type: 'object',
      properties: {
        incidents: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              trackingId: str,
              ticket: str,
              state: str,
              subscriberKey: nstr,
              firstSeen: str,
              lastSeen: str,
              attackCount: int,
              visitedAt: nstr,
              downloadedAt: nstr,
              completedAt: nstr,
              remediatedAt: nstr,
              reinfected: { type: ['boolean', 'integer'] },
              checklist: {
                type: ['object', 'null'],
                description: "counts of the user's checklist answers (latest submission); null when none was sent",
                properties: { submissions: int, yes: int, no: int, unknown: int },
              },
            },
          },
        },
      },
    },
    ...errors,
  },
};

export const openapiSchema = {
  tags,
  summary: 'this API as OpenAPI 3 (no token needed)',
  response: { 200: { type: 'object', additionalProperties: true } },
};
