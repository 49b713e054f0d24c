using System.Data.Common;
using Dapper;
using Playbooks.Messaging.Contracts;
using Playbooks.Metrics.Folding.State;
using Playbooks.Metrics.Storage;
using Playbooks.Storage;

namespace Playbooks.Metrics.Folding;

/// <summary>
/// Loads, with a handful of queries per batch, every state row the batch's events will read or change, so applying
/// the events needs no query per event.
/// </summary>
internal static class FoldStateLoader
{
    private const int IdsPerQuery = 500;

    public static async Task<FoldBatch> LoadAsync(DbConnection connection, DbTransaction transaction, DatabaseProvider provider, IReadOnlyList<FoldEvent> events, FoldRules rules)
    {
        var runs = new HashSet<string>(StringComparer.Ordinal);
        var stepRuns = new HashSet<string>(StringComparer.Ordinal);
        var accounts = new HashSet<string>(StringComparer.Ordinal);
        var tasks = new HashSet<string>(StringComparer.Ordinal);
        var incidents = new HashSet<string>(StringComparer.Ordinal);
        var incidentAccounts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            switch (e.Payload)
            {
                case InstanceChanged change:
                    runs.Add(change.InstanceId);
                    accounts.Add(change.AccountId ?? "");
                    break;
                case ActivitiesReached burst:
                    StepsOf(burst.InstanceId, burst.AccountId);
                    break;
                case ActivityReached reached:
                    StepsOf(reached.InstanceId, reached.AccountId);
                    break;
                case TaskChanged task:
                    tasks.Add(task.TaskId);
                    break;
                case NotificationDelivered delivery when rules.CustomerChannels.Contains(delivery.Channel):
                    runs.Add(delivery.InstanceId);
                    incidentAccounts.Add(delivery.AccountId ?? e.Envelope.AccountId ?? "");
                    break;
                case AccountChange change:
                    accounts.Add(change.After!.Id);
                    break;
                case IncidentSignal signal:
                    if (signal.IncidentId is { } id) incidents.Add(id);
                    incidentAccounts.UnionWith(signal.AccountIds);
                    break;
            }
        }

        void StepsOf(string instanceId, string? accountId)
        {
            runs.Add(instanceId);
            stepRuns.Add(instanceId);
            accounts.Add(accountId ?? "");
        }

        var batch = new FoldBatch(rules);
        foreach (var run in await InAsync<RunState>(connection, transaction, provider, RunState.Select, "instance_id", runs)) batch.Runs[run.InstanceId] = run;
        foreach (var step in await InAsync<StepRow>(connection, transaction, provider, StepRow.Select, "instance_id", stepRuns)) batch.Steps.Add((step.InstanceId, step.ActivityId));
        foreach (var account in await InAsync<AccountState>(connection, transaction, provider, AccountState.Select, "account_id", accounts)) batch.Accounts[account.AccountId] = account;
        foreach (var task in await InAsync<TaskState>(connection, transaction, provider, TaskState.Select, "task_id", tasks)) batch.Tasks[task.TaskId] = task;
        await LoadIncidentsAsync(connection, transaction, provider, batch, incidents, incidentAccounts);
        return batch;
    }

    // Incidents named by the batch, and the open ones of accounts it notifies; then the notices already counted for them.
    private static async Task LoadIncidentsAsync(DbConnection connection, DbTransaction transaction, DatabaseProvider provider, FoldBatch batch, HashSet<string> ids, HashSet<string> accounts)
    {
        if (ids.Count == 0 && accounts.Count == 0) return;
        foreach (var incident in await InAsync<IncidentState>(connection, transaction, provider, IncidentState.Select, "incident_id", ids))
            batch.Incidents[incident.Key] = incident;
        foreach (var incident in await InAsync<IncidentState>(connection, transaction, provider, IncidentState.Select, "account_id", accounts, "resolved_at IS NULL"))
            batch.Incidents[incident.Key] = incident;
        if (batch.Incidents.Count == 0) return;

        var known = batch.Incidents.Values.Select(i => i.IncidentId).ToHashSet(StringComparer.Ordinal);
        var notices = await InAsync<NoticeRow>(connection, transaction, provider, NoticeRow.Select, "account_id",
            batch.Incidents.Values.Select(i => i.AccountId).ToHashSet(StringComparer.Ordinal), SqlLists.In(provider, "incident_id", "known"), new { known = known.ToArray() });
        foreach (var notice in notices) batch.Notices.Add(new IncidentNotice(notice.IncidentId, notice.AccountId, notice.InstanceId, notice.ActivityId));
    }

    /// <summary>
    /// The rows whose <paramref name="column"/> is one of <paramref name="ids"/>. On PostgreSQL as a join with the list:
    /// with <c>= ANY(@ids)</c> the planner chose to read the whole table once it held a few thousand runs, comparing every
    /// row with every id (16 ms a batch at 200 events/s, growing with the table), where an index lookup per id stays flat.
    /// </summary>
    private static async Task<List<T>> InAsync<T>(DbConnection connection, DbTransaction transaction, DatabaseProvider provider, string select, string column, IReadOnlyCollection<string> ids,
        string? andWhere = null, object? extra = null)
    {
        var rows = new List<T>();
        var inList = provider == DatabaseProvider.Postgres ? $"{column} IN (SELECT unnest(@ids))" : SqlLists.In(provider, column, "ids");
        foreach (var chunk in ids.Chunk(IdsPerQuery))
        {
            var parameters = new DynamicParameters(extra);
            parameters.Add("ids", chunk);
            rows.AddRange(await connection.QueryAsync<T>($"{select} WHERE {inList}{(andWhere is null ? "" : $" AND {andWhere}")}", parameters, transaction));
        }
        return rows;
    }

    private sealed class StepRow
    {
        public const string Select = "SELECT instance_id AS InstanceId, activity_id AS ActivityId FROM metric_run_steps";

        public string InstanceId { get; set; } = "";
        public string ActivityId { get; set; } = "";
    }

    private sealed class NoticeRow
    {
        public const string Select = "SELECT incident_id AS IncidentId, account_id AS AccountId, instance_id AS InstanceId, activity_id AS ActivityId FROM metric_incident_notices";

        public string IncidentId { get; set; } = "";
        public string AccountId { get; set; } = "";
        public string InstanceId { get; set; } = "";
        public string ActivityId { get; set; } = "";
    }
}
