using System.Globalization;
using System.Text.Json;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Engine.Accounts;

/// <summary>
/// Reads accounts from a CSV export (one row per account, or one per contact with the account's id repeated).
/// Known columns fill the account; any other column becomes a custom field. Bad rows are reported, good ones imported.
/// </summary>
public static class AccountImport
{
    public sealed record RejectedRow(int Row, string? Id, IReadOnlyList<string> Reasons);

    public sealed record Report(int Imported, IReadOnlyList<RejectedRow> Rejected);

    private static readonly HashSet<string> Standard = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "name", "ownerCsm", "csmManager", "team", "segment", "arr", "renewalDate", "healthScore", "lifecycleStage", "timeZone",
        "contactName", "contactEmail", "contactRole",
    };

    public static (IReadOnlyList<AccountSnapshot> Accounts, IReadOnlyList<RejectedRow> Rejected, string? HeaderProblem) Parse(TextReader csv)
    {
        using var rows = CsvReader.Rows(csv).GetEnumerator();
        if (!rows.MoveNext()) return ([], [], "The file is empty; the first row names the columns (id,name,ownerCsm,…).");
        var header = rows.Current.Select(h => h.Trim()).ToList();
        var missing = new[] { "id", "name" }.Where(required => !header.Contains(required, StringComparer.OrdinalIgnoreCase)).ToList();
        if (missing.Count > 0) return ([], [], $"The header lacks {string.Join(" and ", missing)}; the first row names the columns (id,name,ownerCsm,…).");

        var accounts = new Dictionary<string, AccountSnapshot>(StringComparer.Ordinal);
        var rejected = new List<RejectedRow>();
        var number = 1;
        while (rows.MoveNext())
        {
            number++;
            var cells = header.Zip(rows.Current.Concat(Enumerable.Repeat("", Math.Max(0, header.Count - rows.Current.Count))))
                .ToDictionary(p => p.First, p => p.Second.Trim(), StringComparer.OrdinalIgnoreCase);
            var reasons = new List<string>();
            if (rows.Current.Count > header.Count) reasons.Add($"has {rows.Current.Count} fields but the header names {header.Count}");
            var account = ToAccount(cells, reasons);
            if (reasons.Count == 0) reasons.AddRange(AccountsApi.Check(account).Select(p => $"{p.Field}: {p.Message}"));
            if (reasons.Count > 0) { rejected.Add(new RejectedRow(number, cells.GetValueOrDefault("id"), reasons)); continue; }
            accounts[account.Id] = accounts.TryGetValue(account.Id, out var earlier)
                ? earlier with { Contacts = [.. earlier.Contacts, .. account.Contacts] }
                : account;
        }
        return (accounts.Values.ToList(), rejected, null);
    }

    private static AccountSnapshot ToAccount(Dictionary<string, string> cells, List<string> reasons)
    {
        string? Text(string column) => cells.TryGetValue(column, out var value) && value.Length > 0 ? value : null;
        T? Parse<T>(string column, Func<string, (bool, T)> parse, string expected) where T : struct
        {
            if (Text(column) is not { } text) return null;
            var (ok, value) = parse(text);
            if (!ok) reasons.Add($"{column} '{text}' is not {expected}");
            return ok ? value : null;
        }

        var contacts = Text("contactEmail") is { } email
            ? new List<AccountContact> { new(Text("contactName") ?? email, email, Text("contactRole") ?? "contact") }
            : [];
        var custom = cells.Where(c => !Standard.Contains(c.Key) && c.Value.Length > 0)
            .ToDictionary(c => c.Key, c => JsonSerializer.SerializeToElement(c.Value));
        return new AccountSnapshot(
            Text("id") ?? "", Text("name") ?? "", Text("ownerCsm"), Text("csmManager"), Text("team"), Text("segment"),
            Parse("arr", t => (decimal.TryParse(t, NumberStyles.Number, CultureInfo.InvariantCulture, out var v), v), "a number"),
            Parse("renewalDate", t => (DateOnly.TryParseExact(t, "yyyy-MM-dd", out var v), v), "a date like 2027-03-31"),
            Parse("healthScore", t => (int.TryParse(t, CultureInfo.InvariantCulture, out var v), v), "a whole number"),
            Text("lifecycleStage"), Text("timeZone"), contacts, custom.Count > 0 ? custom : null);
    }
}
