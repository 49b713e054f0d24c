namespace Playbooks.Tasks.Assignment;

/// <summary>Queue membership, kept beside the tasks so assignment reads it in the task's transaction.</summary>
public interface IQueueStore
{
    /// <summary>Creates the queue or replaces its members; members who stay keep their place in the rotation.</summary>
    Task<TaskQueue> PutAsync(string name, IReadOnlyList<string> members, string actor, CancellationToken cancellationToken);

    Task<TaskQueue?> GetAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<TaskQueue>> ListAsync(CancellationToken cancellationToken);
}
