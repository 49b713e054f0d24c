using Npgsql;

namespace Playbooks.Storage;

/// <summary>
/// PostgreSQL plans a prepared statement afresh on every call while its custom plans look cheaper than its generic
/// one, and for a statement over array parameters (<c>unnest(…)</c>, <c>= ANY(…)</c>) they always do: a custom plan
/// sees one element where the generic one guesses a hundred. On the hot path that planning cost as much as the work
/// (an account event's insert: 0.26 ms of planning, 0.21 ms of execution, at 200 events/s). These statements' plans do
/// not depend on the values, so they are told to keep the generic plan, one transaction at a time: a whole connection
/// told so would also plan the API's optional filters (<c>@x IS NULL OR …</c>) without knowing which are set.
/// <para>
/// A generic plan is made once per connection and kept, so it must not depend on how big a table was at that moment:
/// made in the first seconds of a fresh database, the check for existing run ids read the whole <c>instances</c> table
/// on every later call (266 pages a call, a fifth of a core at 200 events/s, and growing with the table) until autovacuum
/// analysed it. Every statement here looks rows up by key, so the transaction is one of <see cref="KeyedLookups"/>.
/// </para>
/// </summary>
public static class GenericPlans
{
    /// <summary>Begins a transaction with generic plans, no sequential scans and no JIT; a later batch of it commits. Still one round trip.</summary>
    public static NpgsqlBatch BeginsTransaction(this NpgsqlBatch batch)
    {
        batch.BatchCommands.Insert(0, new NpgsqlBatchCommand("BEGIN"));
        batch.BatchCommands.Insert(1, new NpgsqlBatchCommand("SET LOCAL plan_cache_mode = force_generic_plan"));
        return batch.RuledIn(at: 2);
    }

    /// <summary>Runs the batch's commands in one transaction with generic plans, no sequential scans and no JIT: still one round trip.</summary>
    public static NpgsqlBatch InTransaction(this NpgsqlBatch batch)
    {
        batch.BeginsTransaction().BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        return batch;
    }
}
