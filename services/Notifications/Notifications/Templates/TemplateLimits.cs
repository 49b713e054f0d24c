namespace Playbooks.Notifications.Templates;

/// <summary>How big a template and what it renders may be: bounds on what one designer's mistake can cost a mail server.</summary>
public static class TemplateLimits
{
    public const int MaxSubjectLength = 500;
    public const int MaxPartLength = 64 * 1024;
    public const int MaxRenderedLength = 512 * 1024;
}
