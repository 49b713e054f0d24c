using Playbooks.Engine.Activities.Data;
using Playbooks.Engine.Activities.Flow;
using Playbooks.Engine.Activities.Integration;
using Playbooks.Engine.Activities.Messaging;
using Playbooks.Engine.Activities.Tasks;
using Playbooks.Engine.Activities.Timing;

namespace Playbooks.Engine.Activities;

/// <summary>Every activity type a playbook may use, by type name; served to the designer's palette.</summary>
public sealed class ActivityCatalogue
{
    private readonly Dictionary<string, Activity> _activities;

    public ActivityCatalogue() : this(
    [
        new Start(), new End(), new If(), new Switch(), new Fork(), new Join(),
        new Delay(), new WaitUntil(), new WaitForEvent(),
        new CreateTask(), new WaitForTask(), new Escalate(),
        new SendNotification(), new EmitEvent(),
        new SetVariable(), new UpdateAccount(),
        new HttpRequest(),
    ])
    {
    }

    public ActivityCatalogue(IEnumerable<Activity> activities) =>
        _activities = activities.ToDictionary(a => a.Descriptor.Type, StringComparer.Ordinal);

    public IEnumerable<ActivityDescriptor> Descriptors => _activities.Values.Select(a => a.Descriptor);

    public bool TryGet(string type, out Activity activity) => _activities.TryGetValue(type, out activity!);

    public Activity Get(string type) => _activities[type];
}
