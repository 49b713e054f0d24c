using System.Data.Common;
using Playbooks.Storage;

namespace Playbooks.Bench.Tasks;

/// <summary>
/// Fills the tasks table with a year of history for a large CS team: one prepared INSERT reused in one transaction,
/// which SQLite takes at hundreds of thousands of rows a second.
/// </summary>
internal static class TaskSeeder
{
    public const int Csms = 2_000;
    private const int Accounts = 20_000;

    public static string Csm(int index) => $"csm{index:D4}@bench.example";

    public static async Task SeedAsync(ServiceDatabase database, int count, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var random = new Random(42);
        var nowMs = now.ToUnixTimeMilliseconds();
        const long day = 86_400_000;
        await using var connection = await database.OpenAsync(cancellationToken);
        // A large page cache for this connection only: the random keys of five indexes otherwise thrash the default 2 MB.
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            await using var cache = connection.CreateCommand();
            cache.CommandText = "PRAGMA cache_size = -262144";
            await cache.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO tasks (id, instance_id, activity_id, definition_id, definition_version, playbook_name, account_id, account_name,
                title, description, assignee, team, due_at, priority, priority_rank, outcomes, status, overdue_at, outcome,
                closed_by, closed_at, created_at, updated_at)
            VALUES (@id, @instance, 'kickoff', 'enterprise-kickoff', 1, 'Enterprise kickoff', @account, @account,
                'Hold kickoff', 'Meet the admin to agree the rollout plan.', @assignee, 'enterprise', @due, @priority, @rank,
                '["held","rescheduled","no-show"]', @status, @overdue, @outcome, @closedBy, @closedAt, @created, @created)
            """;
        var parameters = new[] { "@id", "@instance", "@account", "@assignee", "@due", "@priority", "@rank", "@status", "@overdue", "@outcome", "@closedBy", "@closedAt", "@created" }
            .ToDictionary(name => name, name => Add(insert, name));
        await insert.PrepareAsync(cancellationToken);

        for (var i = 0; i < count; i++)
        {
            // A fifth of tasks are still being worked; the rest were completed or cancelled over the past year.
            var active = random.Next(5) == 0;
            var created = nowMs - random.NextInt64(365 * day);
            var due = active ? nowMs + random.NextInt64(-30 * day, 30 * day) : created + random.NextInt64(1, 14 * day);
            var rank = random.Next(4);
            var status = active ? (random.Next(10) == 0 ? "snoozed" : "open") : (random.Next(10) == 0 ? "cancelled" : "done");
            var csm = Csm(random.Next(Csms));
            parameters["@id"].Value = $"seed{i:D10}";
            parameters["@instance"].Value = $"run{i:D10}";
            parameters["@account"].Value = $"acct{random.Next(Accounts):D5}";
            parameters["@assignee"].Value = csm;
            parameters["@due"].Value = due;
            parameters["@priority"].Value = new[] { "urgent", "high", "normal", "low" }[rank];
            parameters["@rank"].Value = rank;
            parameters["@status"].Value = status;
            // Active tasks already past due are marked, as the sweeper would have, so it stays idle during the run.
            parameters["@overdue"].Value = active && due <= nowMs ? due : DBNull.Value;
            parameters["@outcome"].Value = status == "done" ? "held" : DBNull.Value;
            parameters["@closedBy"].Value = active ? DBNull.Value : csm;
            parameters["@closedAt"].Value = active ? DBNull.Value : due;
            parameters["@created"].Value = created;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        // No ANALYZE afterwards: a real store never runs one, so the query plans measured are the ones CSMs get.
        await transaction.CommitAsync(cancellationToken);
    }

    private static DbParameter Add(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
