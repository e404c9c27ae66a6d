import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Logger } from 'pino';
import { DomainError } from '@ses/domain';

/**
 * A DomainError (NO_SEATS_AVAILABLE, FORBIDDEN, BAD_USER_INPUT...) is the service saying
 * no, as the contract says it will: it is logged at info, with its code and the field
 * that refused (never its message, which may quote an email), and passed on unchanged to
 * the GraphQL layer (formatErrorWith gives it its contract code). Without this filter
 * Nest's default external exception filter logs every one of them at error level.
 * Anything else is left to Nest and to formatErrorWith, which log it at error.
 */
@Catch(DomainError)
export class ExpectedRefusalFilter implements ExceptionFilter<DomainError> {
  constructor(private readonly logger: Logger) {}

  catch(error: DomainError, host: ArgumentsHost): never {
    const field = host.getType<string>() === 'graphql' ? fieldNameOf(host) : undefined;
    this.logger.info({ code: error.code, ...(field ? { field } : {}) }, 'request refused');
    throw error;
  }
}

/** GraphQL resolvers get (root, args, context, info): the field is info.fieldName. */
function fieldNameOf(host: ArgumentsHost): string | undefined {
  const info: unknown = host.getArgByIndex(3);
  return info && typeof info === 'object' && 'fieldName' in info && typeof info.fieldName === 'string' ? info.fieldName : undefined;
}
