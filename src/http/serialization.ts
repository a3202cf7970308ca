import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify';
import { createSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

type Serialize = (data: unknown) => string;
type Route = Parameters<FastifySerializerCompiler<z.ZodType>>[0];

const zodSerializer = createSerializerCompiler({});

/**
 * Writes response bodies with a function that fast-json-stringify compiles from the zod schema's JSON Schema,
 * instead of a zod pass over every reply: for a page of 50 tasks that pass cost more than the rest of the
 * request's JavaScript. Like zod's, the output holds only the schema's fields. A schema that JSON Schema cannot
 * express (a transform, a date) keeps zod's serializer, so its replies do not change. Each is compiled on first
 * use: compiling every status of every route at start took longer than the rest of a start.
 */
export const serializerCompiler: FastifySerializerCompiler<z.ZodType> = (route) => {
  let serialize: Serialize | undefined;
  return (data: unknown) => {
    serialize ??= compile(route);
    return serialize(data);
  };
};

function compile(route: Route): Serialize {
  const { schema } = route;
  if (!(schema instanceof z.ZodType)) return zodSerializer(route);
  let jsonSchema: unknown;
  try {
    jsonSchema = z.toJSONSchema(schema, { io: 'output', target: 'draft-07', unrepresentable: 'throw' });
  } catch {
    return zodSerializer(route);
  }
  return fastJson(jsonSchema as Parameters<typeof fastJson>[0]);
}
