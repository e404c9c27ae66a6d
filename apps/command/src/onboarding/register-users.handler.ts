import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { normalizeEmail, planRegisterUsers, type RegisterUsers, type UserRow } from '@ses/domain';
import type { Role } from '@ses/events';
import type { BulkUserResult, RegisterUsersInput, RegisterUsersPayload } from '../graphql/types';
import { AccountCommands } from '../application/account-commands';
import { SesCommand } from '../application/command-envelope';
import { CommandRunner, type Outcome, type RunContext } from '../application/command-runner';
import { EmailRegistration, type Reservation } from '../application/email-registration';

export class RegisterUsersCommand extends SesCommand<RegisterUsersInput, RegisterUsersPayload> {}

/** A failed row as recorded: its index, code and message. */
type Failure = { row: number; errorCode: string; errorMessage: string };

/**
 * What a registerUsers run records for a repeat of its commandId (on the last event of its
 * account append only): per row the new user's id or null, and the failures. The emails
 * come from the input again, so a 10,000-row result costs about 40 bytes a row.
 */
type Recorded = { registered: number; failed: number; userIds: (string | null)[]; failures: Failure[] };

/**
 * registerUsers: up to 10,000 independent rows. Built to answer a full file in seconds:
 * 1. the whole file is planned on the account in one pure pass (planRegisterUsers: roles,
 *    fields, duplicates in the file, groups, emails of the account), linear in rows;
 * 2. the emails of the rows that pass are reserved one stream each (a row whose email
 *    another account holds fails alone: EMAIL_ALREADY_REGISTERED, or REGISTRATION_PENDING);
 * 3. ONE append to the account registers every remaining row with its roles and groups
 *    (ordinary UserRegistered, RoleGranted, GroupMemberAdded events), decided again on the
 *    account's latest state; reservations whose rows did not make it are given back.
 * A dry run stops after planning and asking each email's stream: nothing is appended.
 */
@CommandHandler(RegisterUsersCommand)
export class RegisterUsersHandler implements ICommandHandler<RegisterUsersCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly accounts: AccountCommands,
    private readonly registration: EmailRegistration,
  ) {}

  async execute({ envelope, input }: RegisterUsersCommand): Promise<RegisterUsersPayload> {
    const answer = await this.runner.runThenPresent(
      envelope,
      (ctx) => this.registerAll(input, ctx),
      (recorded) => present(input, recorded),
    );
    return { ...answer, position: input.dryRun ? null : answer.position };
  }

  private async registerAll(input: RegisterUsersInput, ctx: RunContext): Promise<Outcome<Recorded>> {
    const { accountId } = input;
    const rows: UserRow[] = input.users.map((user, row) => ({
      row,
      userId: ctx.newId(`user:${row}`),
      email: user.email,
      displayName: user.displayName,
      country: user.country,
      roles: user.roles as Role[] | null | undefined,
      groupIds: user.groupIds,
    }));
    const command: RegisterUsers = { type: 'RegisterUsers', actor: ctx.actor, now: ctx.now, rows };
    const { state: account, position } = await this.accounts.loadAt(accountId);
    const failures = new Map<number, Failure>();
    for (const outcome of planRegisterUsers(command, account)) {
      if (!outcome.ok) failures.set(outcome.row, { row: outcome.row, errorCode: outcome.errorCode, errorMessage: outcome.errorMessage });
    }
    const candidates = rows.filter((row) => !failures.has(row.row));
    const reservationOf = new Map<Reservation, UserRow>(candidates.map((row) => [{ email: normalizeEmail(row.email), accountId, userId: row.userId }, row]));

    if (input.dryRun) {
      for (const [reservation, row] of reservationOf) {
        const refusal = await this.registration.probe(reservation);
        if (refusal) failures.set(row.row, { row: row.row, errorCode: refusal.code, errorMessage: refusal.message });
      }
      // Nothing is registered: `registered` counts the rows that would be.
      return { result: { ...recordedOf(rows, failures, new Set()), registered: rows.length - failures.size }, position };
    }

    return this.registration.reserveAll([...reservationOf.keys()], ctx, async (reserved, refused) => {
      for (const [reservation, error] of refused) {
        const row = reservationOf.get(reservation)!;
        failures.set(row.row, { row: row.row, errorCode: error.code, errorMessage: error.message });
      }
      const registeredIds = new Set<string>();
      let outcome: Outcome<Recorded> = { result: recordedOf(rows, failures, registeredIds), position };
      if (reserved.length > 0) {
        const toRegister = reserved.map((reservation) => reservationOf.get(reservation)!);
        outcome = await this.accounts.handle(accountId, { ...command, rows: toRegister }, ctx, (events) => {
          for (const event of events) if (event.type === 'UserRegistered') registeredIds.add(event.data.userId);
          // A row decided out on the account's latest state: only its email can have been registered meanwhile.
          for (const row of toRegister) {
            if (!registeredIds.has(row.userId)) {
              failures.set(row.row, { row: row.row, errorCode: 'EMAIL_ALREADY_REGISTERED', errorMessage: 'this email is already registered' });
            }
          }
          return recordedOf(rows, failures, registeredIds);
        });
      }
      return { value: outcome, used: (reservation) => registeredIds.has(reservation.userId) };
    });
  }
}

function recordedOf(rows: readonly UserRow[], failures: ReadonlyMap<number, Failure>, registered: ReadonlySet<string>): Recorded {
  const sorted = [...failures.values()].sort((a, b) => a.row - b.row);
  return {
    registered: registered.size,
    failed: sorted.length,
    userIds: rows.map((row) => (registered.has(row.userId) ? row.userId : null)),
    failures: sorted,
  };
}

function present(input: RegisterUsersInput, recorded: Recorded): Omit<RegisterUsersPayload, 'position'> {
  const failureOf = new Map(recorded.failures.map((f) => [f.row, f]));
  const results = input.users.map((user, row): BulkUserResult => {
    const failure = failureOf.get(row);
    return {
      row,
      email: user.email,
      userId: recorded.userIds[row] ?? null,
      errorCode: failure?.errorCode ?? null,
      errorMessage: failure?.errorMessage ?? null,
    };
  });
  return { registered: recorded.registered, failed: recorded.failed, results };
}
