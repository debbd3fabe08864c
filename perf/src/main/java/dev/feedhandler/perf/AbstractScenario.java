package dev.feedhandler.perf;

/**
 * What every scenario has: an id, a title, a report group and a kind.
 */
abstract class AbstractScenario implements Scenario
{
    private final String id;
    private final String title;
    private final String group;
    private final Kind kind;

    AbstractScenario(final String id, final String title, final String group, final Kind kind)
    {
        this.id = id;
        this.title = title;
        this.group = group;
        this.kind = kind;
    }

    @Override
    public String id()
    {
        return id;
    }

    @Override
    public String title()
    {
        return title;
    }

    @Override
    public String group()
    {
        return group;
    }

    @Override
    public Kind kind()
    {
        return kind;
    }
}
