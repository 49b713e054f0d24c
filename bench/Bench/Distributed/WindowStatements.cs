using Dapper;
using Npgsql;

namespace Playbooks.Bench.Distributed;

/// <summary>
/// For working on the event path: with <c>PLAYBOOKS_BENCH_STATEMENTS=file</c>, the events part's server loads
/// pg_stat_statements, and what PostgreSQL did in the measured window is written to the file: commits, every statement's
/// calls, rows, time, plans, WAL records and buffers, and the rows each table gained, changed and lost. The gentle window
/// (20 events/s) goes to the same file with ".gentle" added: at 200 events/s a statement's time includes the turns it
/// waited for a core, at 20 it is close to its CPU (metrics may still be folding the warm-up's events then). The figures in
/// docs/benchmarks.md are unchanged by it apart from the statistics' own small cost.
/// </summary>
internal sealed class WindowStatements(string path)
{
    public const string Variable = "PLAYBOOKS_BENCH_STATEMENTS";

    /// <summary>The server settings that keep the statistics (they must be loaded as the server starts).</summary>
    public const string Settings = "-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on";

    public static WindowStatements? FromEnvironment() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } file ? new(Path.GetFullPath(file)) : null;

    public async Task StartAsync(string postgres)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.ExecuteAsync("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset(); SELECT pg_stat_reset(); SELECT pg_stat_reset_shared('wal');");
    }

    /// <param name="gentle">The gentle window's figures, for the file with ".gentle" added.</param>
    public async Task WriteAsync(string postgres, int events, bool gentle = false)
    {
        var file = gentle ? path + ".gentle" : path;
        await using var connection = new NpgsqlConnection(postgres);
        var statements = await connection.QueryAsync<(string Query, long Calls, long Rows, double Exec, double Plan, long Plans, long Wal, long Buffers)>("""
            SELECT left(regexp_replace(query, '\s+', ' ', 'g'), 200), calls, rows, total_exec_time, total_plan_time, plans, wal_records, shared_blks_hit + shared_blks_read
            FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 80
            """);
        var tables = await connection.QueryAsync<(string Table, long Inserted, long Updated, long Deleted)>("""
            SELECT schemaname || '.' || relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables
            WHERE n_tup_ins + n_tup_upd + n_tup_del > 0 ORDER BY n_tup_ins + n_tup_upd + n_tup_del DESC
            """);
        var (commits, sessions) = await connection.QuerySingleAsync<(long, long)>("SELECT xact_commit, sessions FROM pg_stat_database WHERE datname = current_database()");
        // The whole server's WAL (the database is the only busy one): writes and flushes are what commits wait for.
        var wal = await connection.QuerySingleAsync<(long Records, decimal Bytes, long Writes, long Syncs)>("SELECT wal_records, wal_bytes, wal_write, wal_sync FROM pg_stat_wal");
        double PerEvent(double value) => value / Math.Max(events, 1);
        await File.WriteAllLinesAsync(file,
        [
            $"{events:N0} events in the measured window; {commits:N0} commits ({PerEvent(commits):F2} an event); {sessions:N0} connections opened",
            $"WAL an event: {PerEvent(wal.Records):F1} records, {PerEvent((double)wal.Bytes):N0} bytes, {PerEvent(wal.Writes):F2} writes, {PerEvent(wal.Syncs):F2} flushes",
            "",
            "exec ms  plan ms   plans    calls  calls/event  rows/call  WAL/event  buffers/call  statement",
            .. statements.Select(s => $"{s.Exec,7:F0}  {s.Plan,7:F0}  {s.Plans,6}  {s.Calls,7}  {PerEvent(s.Calls),11:F2}  {s.Rows / (double)Math.Max(s.Calls, 1),9:F1}  {PerEvent(s.Wal),9:F1}  {s.Buffers / (double)Math.Max(s.Calls, 1),12:F1}  {s.Query}"),
            "",
            "rows an event: inserted, updated, deleted",
            .. tables.Select(t => $"{PerEvent(t.Inserted),6:F2} {PerEvent(t.Updated),6:F2} {PerEvent(t.Deleted),6:F2}  {t.Table}"),
        ]);
        Console.WriteLine($"  PostgreSQL's statements in the measured window: {file}");
    }
}
