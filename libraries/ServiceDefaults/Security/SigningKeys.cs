using System.Security.Cryptography;
using Playbooks.ServiceDefaults.Hosting;

namespace Playbooks.ServiceDefaults.Security;

/// <summary>Where the key that signs Playbooks' own tokens comes from.</summary>
internal static class SigningKeys
{
    public const string Setting = "Playbooks__Auth__SigningKey";

    public static string Resolve(AuthOptions auth, PlaybooksOptions playbooks)
    {
        if (auth.SigningKey is { } configured)
            return configured.Length >= AuthOptions.MinimumKeyLength
                ? configured
                : throw new StartupFailure($"{Setting} is too short: use at least {AuthOptions.MinimumKeyLength} random characters (e.g. `openssl rand -base64 48`).");
        if (playbooks.Mode == RunMode.Distributed)
            throw new StartupFailure($"Set {Setting} (at least {AuthOptions.MinimumKeyLength} random characters, the same for the gateway and every service): it signs and checks the suite's tokens.");
        return LoadOrCreate(Path.Combine(Path.GetFullPath(playbooks.DataPath), "auth", "signing-key"));
    }

    // Kept in the data folder so signed-in people stay signed in across restarts; every part of an embedded suite reads the same file.
    private static string LoadOrCreate(string path)
    {
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        try
        {
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            using var writer = new StreamWriter(file);
            writer.Write(key);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }
    }
}
