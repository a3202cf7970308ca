/**
 * Questions about Fastify's own documentation (node_modules/fastify/docs, shipped with a dependency), phrased as
 * users ask them rather than copied from headings, each with the file and, where one section answers it, the
 * heading of that section (as the chunker reads it: inline markup removed).
 */
export interface Question {
  query: string;
  file: string;
  section?: string;
}

export const QUESTIONS: Question[] = [
  {
    query: 'how do I limit the maximum size of the request body',
    file: 'Reference/Server.md',
    section: 'bodyLimit',
  },
  {
    query: 'my server runs behind a load balancer, how do I get the real client IP',
    file: 'Reference/Server.md',
    section: 'trustProxy',
  },
  {
    query: 'make /foo and /foo/ go to the same route',
    file: 'Reference/Server.md',
    section: 'ignoreTrailingSlash',
  },
  {
    query: 'read the request id from my own header instead of generating one',
    file: 'Reference/Server.md',
    section: 'requestIdHeader',
  },
  {
    query: 'how long does fastify wait for a plugin to load before giving up',
    file: 'Reference/Server.md',
    section: 'pluginTimeout',
  },
  {
    query: 'close idle keep-alive connections when the server shuts down',
    file: 'Reference/Server.md',
    section: 'forceCloseConnections',
  },
  {
    query: 'reply 503 to new requests while the server is closing',
    file: 'Reference/Server.md',
    section: 'return503OnClosing',
  },
  {
    query: 'what happens to a JSON body containing __proto__',
    file: 'Reference/Server.md',
    section: 'onProtoPoisoning',
  },
  { query: 'test my routes without starting a real HTTP server', file: 'Guides/Testing.md' },
  { query: 'send the user to another page', file: 'Reference/Reply.md', section: '.redirect(dest, [code])' },
  {
    query: 'change the HTTP status of the response',
    file: 'Reference/Reply.md',
    section: '.code(statusCode)',
  },
  {
    query: 'delete a header I set earlier on the reply',
    file: 'Reference/Reply.md',
    section: '.removeHeader(key)',
  },
  {
    query: 'take over the raw response and stop fastify from sending anything',
    file: 'Reference/Reply.md',
    section: '.hijack()',
  },
  {
    query: 'send 103 early hints to the browser',
    file: 'Reference/Reply.md',
    section: '.writeEarlyHints(hints, callback)',
  },
  {
    query: 'how many milliseconds has the request been running',
    file: 'Reference/Reply.md',
    section: '.elapsedTime',
  },
  { query: "get the caller's IP address", file: 'Reference/Request.md', section: '.ip' },
  { query: 'where are the parsed query string values', file: 'Reference/Request.md', section: '.query' },
  {
    query: 'notice when the client disconnects before I answer',
    file: 'Guides/Detecting-When-Clients-Abort.md',
  },
  {
    query: 'which hook runs just before my handler, after validation',
    file: 'Reference/Hooks.md',
    section: 'preHandler',
  },
  {
    query: 'run something once every plugin has loaded, before the server listens',
    file: 'Reference/Hooks.md',
    section: 'onReady',
  },
  { query: 'change the payload right before it is sent', file: 'Reference/Hooks.md', section: 'onSend' },
  { query: 'in what order do the close hooks run', file: 'Reference/Hooks.md', section: 'Execution order' },
  {
    query: 'keep passwords and authorization headers out of my logs',
    file: 'Reference/Logging.md',
    section: 'Log Redaction',
  },
  {
    query: 'pretty logs in development but JSON in production',
    file: 'Reference/Logging.md',
    section: 'Environment-Specific Configuration',
  },
  {
    query: 'add my own property to every request object',
    file: 'Reference/Decorators.md',
    section: 'decorateRequest(name, value, [dependencies])',
  },
  {
    query: 'find out whether a decorator was already added',
    file: 'Reference/Decorators.md',
    section: 'hasDecorator(name)',
  },
  {
    query: 'why can a sibling plugin not see what another plugin registered',
    file: 'Reference/Encapsulation.md',
  },
  { query: 'put every route of a plugin under /v1', file: 'Reference/Routes.md', section: 'Route Prefixing' },
  {
    query: 'answer differently depending on the Host header',
    file: 'Reference/Routes.md',
    section: 'Host Constraints',
  },
  {
    query: 'serve two versions of a route selected by a header',
    file: 'Reference/Routes.md',
    section: 'Version Constraints',
  },
  {
    query: 'quieter logging for just one noisy route',
    file: 'Reference/Routes.md',
    section: 'Custom Log Level',
  },
  { query: 'accept CSV bodies with a parser I write myself', file: 'Reference/ContentTypeParser.md' },
  {
    query: 'one parser for any content type that has none',
    file: 'Reference/ContentTypeParser.md',
    section: 'Catch-All',
  },
  {
    query: 'what does the built-in error handler answer to the client',
    file: 'Reference/Errors.md',
    section: 'What The Default Error Handler Sends',
  },
  { query: 'serve HTTP/2 with TLS certificates', file: 'Reference/HTTP2.md', section: 'Secure (HTTPS)' },
  { query: 'can I use my Express middleware', file: 'Reference/Middleware.md' },
  { query: 'run my app on AWS Lambda', file: 'Guides/Serverless.md', section: 'Using @fastify/aws-lambda' },
  { query: 'put nginx in front of my node server', file: 'Guides/Recommendations.md', section: 'Nginx' },
  { query: 'connect to a Postgres database', file: 'Guides/Database.md', section: 'Postgres' },
  { query: 'how should I run database schema migrations', file: 'Guides/Database.md', section: 'Migrations' },
  { query: 'how long does a major version get security fixes', file: 'Reference/LTS.md' },
  { query: 'typed routes from zod schemas', file: 'Reference/Type-Providers.md', section: 'Zod' },
  {
    query: 'customise the wording of validation error messages',
    file: 'Reference/Validation-and-Serialization.md',
    section: 'schemaErrorFormatter',
  },
  {
    query: 'reuse one JSON schema in several routes with $ref',
    file: 'Reference/Validation-and-Serialization.md',
    section: 'Adding a shared schema',
  },
  {
    query: 'add ajv plugins such as ajv-errors',
    file: 'Reference/Validation-and-Serialization.md',
    section: 'Ajv Plugins',
  },
  { query: 'what changed when upgrading from v4 to v5', file: 'Guides/Migration-Guide-V5.md' },
  {
    query: 'install it and write a hello world server',
    file: 'Guides/Getting-Started.md',
    section: 'Your first server',
  },
  {
    query: 'wait for a database connection before accepting requests',
    file: 'Guides/Delay-Accepting-Requests.md',
  },
];
