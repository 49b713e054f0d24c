using System.Text.Json;
using System.Text.Json.Nodes;
using Playbooks.Messaging.Contracts;

namespace Playbooks.Engine.Accounts;

/// <summary>Sets an account field by its JSON name: a standard one such as <c>lifecycleStage</c>, or else a custom field.</summary>
public static class AccountFields
{
    /// <summary>The account as expressions see it: every standard field present, null or not.</summary>
    public static JsonObject ToJson(AccountSnapshot account) => JsonSerializer.SerializeToNode(account, JsonSerializerOptions.Web)!.AsObject();

    public static AccountSnapshot FromJson(JsonObject json) => json.Deserialize<AccountSnapshot>(JsonSerializerOptions.Web)!;

    public static void Set(JsonObject account, string field, JsonNode? value)
    {
        if (account.ContainsKey(field))
        {
            account[field] = value?.DeepClone();
            return;
        }
        var custom = account["custom"] as JsonObject ?? [];
        custom[field] = value?.DeepClone();
        account["custom"] = custom;
    }

    public static AccountSnapshot With(AccountSnapshot account, IReadOnlyDictionary<string, JsonNode?> changes)
    {
        var json = ToJson(account);
        foreach (var (field, value) in changes) Set(json, field, value);
        return FromJson(json);
    }
}
