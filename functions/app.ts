import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import pkg from '../package.json' with { type: 'json' };
import { ApiError, databaseUnavailable, isDatabaseUnavailable } from './errors.ts';
import { answersWithRedirect } from './lib/forms.ts';
import { formFailure, validationHook } from './lib/validation.ts';
import { defaultBodyLimit, requireKnownContentType } from './middleware/body.ts';
import { csrf } from './middleware/csrf.ts';
import { requestContext } from './middleware/request-context.ts';
import { createPasswordHasher } from './auth/password.ts';
import { unconfiguredSecretBox } from './auth/secret-box.ts';
import { outboxTransport } from './mail/transport.ts';
import { session } from './middleware/session.ts';
import { accountRoutes } from './routes/account.ts';
import { adminRoutes } from './routes/admin.ts';
import { authRoutes } from './routes/auth.ts';
import { communityRoutes } from './routes/community.ts';
import { devRoutes } from './routes/dev.ts';
import { meRoutes } from './routes/me.ts';
import { twoFactorRoutes } from './routes/two-factor.ts';
import { healthRoutes } from './routes/health.ts';
import { pageFeedbackRoutes } from './routes/page-feedback.ts';
import { trainingRoutes } from './routes/training.ts';
import { contentReportRoutes } from './routes/content-reports.ts';
import { mentoringRoutes } from './routes/mentoring.ts';
import { mentorshipRoutes } from './routes/mentorships.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { surveyRoutes } from './routes/surveys.ts';
import { flagRoutes } from './routes/flags.ts';
import { memberBlockRoutes } from './routes/member-blocks.ts';
import { moderationRoutes } from './routes/moderation.ts';
import { trustRoutes } from './routes/trust.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { surveyResultRoutes } from './routes/survey-results.ts';
import { categoryRoutes } from './routes/categories.ts';
import { threadRoutes } from './routes/threads.ts';
import { postRoutes } from './routes/posts.ts';
import { discussionSearchRoutes } from './routes/discussion-search.ts';
import { markdownRoutes } from './routes/markdown.ts';
import { subscriptionRoutes } from './routes/subscriptions.ts';
import { groupRoutes } from './routes/groups.ts';
import { jsonLogger, systemClock, type AppDeps, type AppEnv } from './types.ts';
import { buildCatalog } from './training/catalog.ts';
import { buildSurveyCatalog } from './surveys/catalog.ts';
import { buildDiscussionCatalog } from './discussions/catalog.ts';

const noTraining = async () => buildCatalog([], []);
const noSurveys = async () => buildSurveyCatalog([]);
const noDiscussions = async () => buildDiscussionCatalog([], []);

export const API_VERSION = pkg.version;

/**
 * Builds Hearth's API. Everything it touches outside itself (database, clock, logger) comes in
 * through `deps`, so tests, the local server and the Worker each pass their own.
 */
export function createApp(deps: AppDeps) {
  const logger = deps.logger ?? jsonLogger;
  const clock = deps.clock ?? systemClock;
  const version = deps.version ?? API_VERSION;
  const passwords = deps.passwords ?? createPasswordHasher();
  const mail = deps.mail ?? outboxTransport;

  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).basePath('/api');

  app.use(
    requestContext({
      db: deps.db,
      clock,
      logger,
      passwords,
      mail,
      staffNeedTwoFactor: deps.staffNeedTwoFactor ?? true,
      secrets: deps.secrets ?? unconfiguredSecretBox,
      training: deps.training ?? noTraining,
      siteUrl: deps.siteUrl ?? 'http://localhost:4321',
      surveys: deps.surveys ?? noSurveys,
      // Without a configured key, pseudonyms still link pre and post within this process only.
      pseudonymKey: deps.pseudonymKey ?? crypto.getRandomValues(new Uint8Array(32)),
      discussions: deps.discussions ?? noDiscussions,
      postingPolicy: deps.postingPolicy,
    }),
  );
  app.use(csrf);
  app.use(defaultBodyLimit());
  app.use(requireKnownContentType);
  app.use(session);

  const routes = app
    .route('/', healthRoutes(version))
    .route('/', communityRoutes)
    .route('/', pageFeedbackRoutes)
    .route('/', authRoutes)
    .route('/', meRoutes)
    .route('/', twoFactorRoutes)
    .route('/', accountRoutes)
    .route('/', adminRoutes)
    .route('/', trainingRoutes)
    .route('/', contentReportRoutes)
    .route('/', mentoringRoutes)
    .route('/', mentorshipRoutes)
    .route('/', notificationRoutes)
    .route('/', surveyRoutes)
    .route('/', flagRoutes)
    .route('/', moderationRoutes)
    .route('/', memberBlockRoutes)
    .route('/', trustRoutes)
    .route('/', metricsRoutes)
    .route('/', surveyResultRoutes)
    .route('/', categoryRoutes)
    .route('/', threadRoutes)
    .route('/', postRoutes)
    .route('/', discussionSearchRoutes)
    .route('/', markdownRoutes)
    .route('/', subscriptionRoutes)
    .route('/', groupRoutes);
  // The outbox viewer would hand out sign-up codes: it exists only for local development.
  if (deps.devTools && mail.name === 'outbox') app.route('/', devRoutes);

  app.doc31('/openapi.json', (c) => openApiConfig(version, new URL(c.req.url).origin));

  app.notFound((c) => c.json(new ApiError(404, 'not_found', 'There is no API route at this address.').body(), 404));

  app.onError(async (err, c) => {
    const requestId = c.get('requestId') ?? 'unknown';
    let error: ApiError;
    if (err instanceof ApiError) error = err;
    else if (isDatabaseUnavailable(err)) {
      logger.log({ level: 'warn', msg: 'database unavailable', requestId, error: describe(err) });
      error = databaseUnavailable();
    } else if (err instanceof HTTPException && err.status < 500) {
      error = fromHttpException(err);
    } else {
      logger.log({ level: 'error', msg: 'unhandled error', requestId, error: describe(err), stack: stackOf(err) });
      error = new ApiError(
        500,
        'internal_error',
        `Something went wrong on our side. Quote request id ${requestId} if you report it.`,
        {
          details: { requestId },
        },
      );
    }
    if (answersWithRedirect(c.req.raw) && c.req.method === 'POST' && error.status !== 413) return formFailure(c, error);
    return c.json(error.body(), error.status, error.headers);
  });

  return routes;
}

/** The OpenAPI document's top level, shared by /api/openapi.json and the API reference page. */
export function openApiConfig(version: string, origin?: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Hearth API',
      version,
      description:
        'Every error answers `{"error":{"code","message","details"?}}`. State-changing requests must come from this site (Sec-Fetch-Site or Origin). HTML forms may post to the same routes and are redirected back.',
    },
    ...(origin ? { servers: [{ url: origin }] } : {}),
  };
}

function fromHttpException(err: HTTPException): ApiError {
  switch (err.status) {
    case 415:
      return new ApiError(415, 'unsupported_media_type', 'This route does not accept a body of that type.');
    case 413:
      return new ApiError(413, 'payload_too_large', 'The request body is too large.');
    case 400:
      return new ApiError(
        400,
        'bad_request',
        'The request body could not be read. Check that it is valid JSON or form data.',
      );
    default:
      return new ApiError(err.status as 400, 'request_refused', err.message || 'The request was refused.');
  }
}

/** A short description for logs: the error's name and message, never a request body. */
function describe(err: unknown): string {
  // drizzle's query errors quote the SQL and its parameters, which can hold personal data.
  while (err instanceof Error && err.name === 'DrizzleQueryError' && err.cause) err = err.cause;
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? ` (cause: ${err.cause.name}: ${err.cause.message})` : '';
    return `${err.name}: ${err.message}${cause}`.slice(0, 1000);
  }
  return String(err).slice(0, 200);
}

function stackOf(err: unknown): string | undefined {
  return err instanceof Error ? err.stack?.split('\n').slice(0, 8).join('\n') : undefined;
}

export type AppType = ReturnType<typeof createApp>;
